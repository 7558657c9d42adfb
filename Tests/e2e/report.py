"""Collects check results and prints a readable report; the closing line is `e2e: N passed, N failed`."""
import time


class Report:
    def __init__(self):
        self.passed = 0
        self.failures = []  # (section, title, details)
        self.warnings = []
        self.started = time.time()

    def check(self, section, title, problems):
        """One check: passes when `problems` (a list of readable lines) is empty."""
        if problems:
            self.failures.append((section, title, problems))
            print(f"e2e: FAIL [{section}] {title}", flush=True)
        else:
            self.passed += 1

    def warn(self, section, title, line):
        self.warnings.append((section, title, line))

    def print_summary(self):
        if self.warnings:
            # The same warning on many pages is printed once, with the number of places and one example.
            grouped = {}
            for section, title, line in self.warnings:
                grouped.setdefault((section, line), []).append(title)
            print(f"\n=== {len(self.warnings)} warnings (reported, not failing), {len(grouped)} kinds")
            for (section, line), titles in sorted(grouped.items(), key=lambda item: -len(item[1])):
                print(f"  [{section}] {len(titles)}× {line} (e.g. {titles[0]})")
        if self.failures:
            print(f"\n=== {len(self.failures)} failed checks")
            for section, title, problems in self.failures:
                print(f"\n--- [{section}] {title}")
                for problem in problems[:40]:
                    print("  " + problem.replace("\n", "\n  "))
                if len(problems) > 40:
                    print(f"  … and {len(problems) - 40} more")
        print(f"\ne2e: ran in {time.time() - self.started:.0f} s")
        print(f"e2e: {self.passed} passed, {len(self.failures)} failed")
