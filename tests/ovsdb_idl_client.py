"""Drives Open vSwitch's Python IDL (Debian's python3-openvswitch) against
an OVSDB server, for tests/ovsdb.at.

usage: ovsdb_idl_client.py REMOTE SCHEMA STEP...

Steps, run in order (each one waits, up to 30 s, for what it needs):
  print             prints the bridges: "NAME external_ids={k=v,...}",
                    sorted by name
  add:NAME          inserts bridge NAME (referenced from Open_vSwitch) in
                    an IDL transaction and prints the commit status
  set:NAME:K=V      sets external_ids:K=V on bridge NAME in an IDL
                    transaction and prints the commit status
  wait:NAME         waits until bridge NAME appears (a change made by
                    another client)
  waitkey:NAME:K=V  waits until bridge NAME has external_ids:K=V
"""
import sys
import time

import ovs.db.idl
import ovs.poller


def run_until(idl, cond, what):
    deadline = time.time() + 30
    while True:
        idl.run()
        if idl.has_ever_connected() and cond():
            return
        if time.time() > deadline:
            sys.exit("timed out waiting for %s" % what)
        poller = ovs.poller.Poller()
        idl.wait(poller)
        poller.timer_wait(100)
        poller.block()


def bridges(idl):
    return {b.name: b for b in idl.tables["Bridge"].rows.values()}


def commit(idl, build):
    while True:
        run_until(idl, lambda: True, "connection")
        txn = ovs.db.idl.Transaction(idl)
        build(txn)
        status = txn.commit_block()
        if status != ovs.db.idl.Transaction.TRY_AGAIN:
            return status


def step_add(idl, name):
    def build(txn):
        ovs_row = next(iter(idl.tables["Open_vSwitch"].rows.values()))
        br = txn.insert(idl.tables["Bridge"])
        br.name = name
        ovs_row.addvalue("bridges", br.uuid)
    print("add %s: %s" % (name, commit(idl, build)))


def step_set(idl, name, kv):
    key, value = kv.split("=", 1)

    def build(txn):
        br = bridges(idl)[name]
        ids = dict(br.external_ids)
        ids[key] = value
        br.external_ids = ids
    print("set %s %s: %s" % (name, kv, commit(idl, build)))


def main():
    remote, schema = sys.argv[1], sys.argv[2]
    helper = ovs.db.idl.SchemaHelper(schema)
    helper.register_columns("Open_vSwitch", ["bridges"])
    helper.register_columns("Bridge", ["name", "external_ids"])
    idl = ovs.db.idl.Idl(remote, helper)
    run_until(idl, lambda: idl.tables["Open_vSwitch"].rows, "first contents")
    for step in sys.argv[3:]:
        verb, _, arg = step.partition(":")
        if verb == "print":
            for name, br in sorted(bridges(idl).items()):
                ids = ",".join("%s=%s" % kv
                               for kv in sorted(br.external_ids.items()))
                print("%s external_ids={%s}" % (name, ids))
        elif verb == "add":
            step_add(idl, arg)
        elif verb == "set":
            name, _, kv = arg.partition(":")
            step_set(idl, name, kv)
        elif verb == "wait":
            run_until(idl, lambda: arg in bridges(idl), "bridge " + arg)
        elif verb == "waitkey":
            name, _, kv = arg.partition(":")
            key, value = kv.split("=", 1)
            run_until(idl, lambda: name in bridges(idl)
                      and bridges(idl)[name].external_ids.get(key) == value,
                      step)
        else:
            sys.exit("unknown step " + step)
        sys.stdout.flush()
    idl.close()


if __name__ == "__main__":
    main()
