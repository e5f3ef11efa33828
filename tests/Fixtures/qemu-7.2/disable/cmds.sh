#!/bin/sh
run() { echo "\$ $*"; "$@" 2>/tmp/e; rc=$?; echo "--stderr--"; cat /tmp/e; echo "--rc $rc"; }
run ndctl zero-labels nmem0
run ndctl init-labels nmem0
run ndctl init-labels -f nmem0
ndctl read-labels nmem0 -o /tmp/lbl 2>/dev/null
run ndctl write-labels nmem0 -i /tmp/lbl
run ndctl disable-dimm nmem0
run ndctl list -Di
run ndctl disable-region region0
run ndctl list -R
run ndctl list -Ri
run ndctl list -N
run ndctl list -Ni
run ndctl list -RNi
run ndctl create-namespace -r region0 -m raw
run ndctl init-labels nmem0
run ndctl list -Ri
run ndctl disable-region region0
run ndctl enable-region region0
run ndctl list -RNi
run ndctl create-namespace -m raw -s 32M -u 11111111-2222-3333-4444-555555555555 -n one
run ndctl create-namespace -m raw -s 32M -u 11111111-2222-3333-4444-666666666666 -n two
run ndctl list -N
run ndctl disable-namespace namespace0.0
run ndctl disable-namespace namespace0.0
run ndctl list -N
run ndctl list -Ni
run ndctl enable-namespace namespace0.0
run ndctl enable-namespace namespace0.0
run ndctl list -N
run ndctl disable-namespace namespace0.1
run ndctl destroy-namespace namespace0.1
run ndctl list -Ni
run ndctl zero-labels nmem0
run ndctl write-labels nmem0 -i /tmp/lbl
run ndctl disable-region region0
run ndctl list -RNi
run ndctl disable-dimm nmem0
run ndctl list -Di
run ndctl enable-region region0
run ndctl enable-dimm nmem0
run ndctl enable-dimm nmem0
run ndctl enable-region region0
run ndctl list -DRNi
run ndctl disable-region region0
run ndctl zero-labels nmem0
run ndctl enable-region region0
run ndctl list -RNi
run ndctl disable-region all
run ndctl enable-region all
run ndctl disable-namespace all
run ndctl enable-namespace all
run ndctl disable-region region7
run ndctl disable-namespace namespace5.0
echo "== read-labels to stdout"
ndctl read-labels nmem0 | wc -c
ndctl read-labels nmem0 2>&1 >/dev/null
run ndctl read-labels nmem0 -o /nonexistent/dir/x
run ndctl write-labels nmem0 -i /nonexistent/x
run ndctl read-labels nmem0 -o /proc/version
echo "== done"
