// Linux readiness notification for the HTTP server's own event loop (see SocketEvents.swift).
// Glibc's Swift module does not include these headers.
#include <sys/epoll.h>
#include <sys/eventfd.h>
