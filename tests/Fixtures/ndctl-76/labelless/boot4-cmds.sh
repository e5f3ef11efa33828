section() { n=$1; shift; echo "### $n"; "$@" 2>&1; echo "### rc=$?"; }
section list-after-boot ndctl list -N
section raw ndctl create-namespace -f -e namespace0.0 -m raw
section list-raw ndctl list -N
section fsdax-noforce ndctl create-namespace -e namespace0.0 -m fsdax
section fsdax-size ndctl create-namespace -f -e namespace0.0 -m fsdax -s 256M
section fsdax-align ndctl create-namespace -f -e namespace0.0 -m fsdax -a 4K
section list-end ndctl list -N
