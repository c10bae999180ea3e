"""Fail when an Odoo log has test failures, or errors or warnings from our code.

Usage: check_log.py LOGFILE. Odoo 11 exits 0 even when a test fails during
``--test-enable``; this script is what turns such a log into a red build.
"""
import re
import sys

OURS = re.compile(r' (odoo\.addons\.pharmacy_crm\w*|odoo11_py311_compat|py\.warnings)[.: ]')
LEVEL = re.compile(r'^\S+ \S+ \d+ (ERROR|WARNING|CRITICAL) ')
TEST_FAILURE = re.compile(r'^(FAIL|ERROR): |Module \S+: \d+ failures?, \d+ errors?'
                          r'|At least one test failed')


def problems(lines):
    """Return the lines that must fail the build."""
    found = []
    for line in lines:
        level = LEVEL.match(line)
        if level and (OURS.search(line) or level.group(1) in ('ERROR', 'CRITICAL')):
            found.append(line.rstrip())
        elif TEST_FAILURE.search(line):
            found.append(line.rstrip())
    return found


def main(path):
    with open(path, encoding='utf-8', errors='replace') as log:
        found = problems(log)
    for line in found:
        print(line)
    if found:
        print('%s: %d problem line(s) above' % (path, len(found)))
        return 1
    print('%s: no errors, no warnings from our addons, no failed test' % path)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))
