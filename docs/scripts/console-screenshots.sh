#!/usr/bin/env bash
# Takes the screenshots of docs/console.md (docs/console/*.png): ConsoleLayoutTest walks every page of
# the console at 1,024 x 768 and 1,920 x 1,080 in headless Chromium, checks that none scrolls sideways,
# and with -Dplsim.console.docs=true saves each page it checked into docs/console/.
#
#   docs/scripts/console-screenshots.sh
#
# Needs: chromium and chromium-driver (Debian's packages), a JDK and Maven. All traffic stays on loopback.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
mvn -B -q -pl core,dataplane,app test -Dtest=ConsoleLayoutTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dplsim.console.docs=true
ls docs/console/*.png | wc -l | xargs printf 'console-screenshots: %s pictures in docs/console/\n'
