"""Each secondary index of a pdb database equals the set recomputed from
its table: an item is in an index exactly when it has the index's key
attributes of their declared types, once, under its current index key.
Prints what differs and exits 1; prints the row counts otherwise."""
import json
import sqlite3
import sys

db = sqlite3.connect(sys.argv[1])
bad = 0
for iid, tbl, name, h, ht, r, rt in db.execute(
        "SELECT id, tbl, name, hash_name, hash_type, range_name, range_type"
        " FROM indexes ORDER BY id"):
    def fits(item):
        return all(a in item and list(item[a])[0] == t and
                   list(item[a].values())[0] != ""
                   for a, t in ((h, ht), (r, rt)) if a)
    want = sorted(i for i, text in db.execute(
        "SELECT id, item FROM items WHERE tbl = ?", (tbl,))
        if fits(json.loads(text)))
    got = sorted(i for (i,) in db.execute(
        "SELECT item FROM index_rows WHERE idx = ?", (iid,)))
    if want != got:
        bad = 1
        print(f"{name}: {len(want)} items fit, {len(got)} rows;"
              f" missing {sorted(set(want) - set(got))[:5]},"
              f" extra {sorted(set(got) - set(want))[:5]}")
    else:
        print(f"{name}: {len(got)}")
sys.exit(bad)
