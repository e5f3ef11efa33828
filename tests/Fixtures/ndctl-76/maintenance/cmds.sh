section() { n=$1; shift; echo "### $n"; "$@" 2>&1; echo "### rc=$?"; }
section start-scrub ndctl start-scrub
section wait-scrub ndctl wait-scrub
section clear-errors ndctl clear-errors namespace0.0
section inject-smart ndctl inject-smart nmem0
section inject-error ndctl inject-error namespace0.0 -B 0
section sanitize ndctl sanitize-dimm nmem0
section check-raw ndctl check-namespace namespace0.0
section rib-active ndctl read-infoblock namespace0.0
section fsdax ndctl create-namespace -f -e namespace0.0 -m fsdax
section rib-fsdax-active ndctl read-infoblock namespace0.0
section dis ndctl disable-namespace namespace0.0
section rib-fsdax ndctl read-infoblock namespace0.0
section rib-fsdax-j ndctl read-infoblock -j namespace0.0
section check-fsdax ndctl check-namespace namespace0.0
section en ndctl enable-namespace namespace0.0
section sector ndctl create-namespace -f -e namespace0.0 -m sector
section check-sector-active ndctl check-namespace namespace0.0
section dis2 ndctl disable-namespace namespace0.0
section check-sector ndctl check-namespace namespace0.0
section rib-sector ndctl read-infoblock namespace0.0
section list ndctl list -N
