#!/bin/sh
run() { echo "\$ $*"; "$@" 2>/tmp/e; rc=$?; echo "--stderr--"; cat /tmp/e; echo "--rc $rc"; }
ndctl disable-region region0 2>/dev/null
ndctl init-labels nmem0 2>/dev/null
ndctl enable-region region0 2>/dev/null
run ndctl create-namespace -m fsdax -s 64M -u 11111111-2222-3333-4444-555555555555 -n fs
run ndctl create-namespace -m raw -s 32M -u 11111111-2222-3333-4444-666666666666
run ndctl destroy-namespace namespace0.1
run ndctl disable-namespace namespace0.0
run ndctl list -Ni
run ndctl enable-namespace namespace0.0
run ndctl list -N
dd if=/dev/zero of=/tmp/zero bs=1024 count=128 2>/dev/null
run ndctl write-labels nmem0 -i /tmp/zero
run ndctl check-labels nmem0
ndctl read-labels -j nmem0 2>/dev/null | head -5
run ndctl disable-region region0
run ndctl check-labels nmem0
run ndctl write-labels nmem0 -i /tmp/zero
run ndctl check-labels nmem0
run ndctl zero-labels all
run ndctl init-labels all
echo "== done"
