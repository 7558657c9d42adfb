// glibc's allocator tuning (`mallopt`), used by `boerse serve` to bound its heaps (see Serve.swift).
// Glibc's Swift module does not include this header.
#include <malloc.h>
