"""store.js API, exercised in the page: the storage contract shared with later features."""

from __future__ import annotations

from cahier_helpers import dumps, open_book_page, page_info, seed

STORE_API = """async ([prefix, book, edition]) => {
  const m = await import(new URL("store.js", document.getElementById("cahier-script").src));
  const store = m.openStore({book, edition});
  const out = {available: store.available, prefix: store.prefix, key: store.keyFor("eveil.en-moi")};
  out.empty = store.readBox("zz.none");
  out.write = store.writeBox("zz.a", "texte", 1700000000000);
  out.read = store.readBox("zz.a");
  out.protectedNewer = store.writeBox("zz.newer", "écrasé ?", 1);
  out.protectedBad = store.writeBox("zz.bad", "écrasé ?", 1);
  out.newer = store.readBox("zz.newer");
  out.bad = store.readBox("zz.bad");
  out.invalidId = store.writeBox("_meta", "x", 1);
  out.ids = store.listBoxIds();
  out.remove = store.removeBox("zz.a");
  out.afterRemove = store.readBox("zz.a");
  out.probeLeft = localStorage.getItem(prefix + "_probe");
  out.metaBefore = store.readMeta();
  out.metaWrite = store.writeMeta({...out.metaBefore, mine: {a: 1}});
  out.metaAfter = store.readMeta();
  out.metaRaw = JSON.parse(localStorage.getItem(prefix + "_meta"));
  localStorage.setItem(prefix + "_meta", JSON.stringify({v: 7, future: true}));
  out.metaNewer = store.readMeta();
  out.metaProtected = store.writeMeta({mine: 2});
  return out;
}"""


def test_store_api_and_prefix_isolation(page, url):
    open_book_page(page, url("eveil"))
    info = page_info(page)
    prefix = info["prefix"]
    book, edition = prefix.split(":")[1:3]
    others = {
        "theme": "dark",
        f"cahier:autre-cahier:{edition}:zz.a": dumps({"v": 1, "text": "autre cahier", "t": 1}),
        f"cahier:{book}:1999:zz.a": dumps({"v": 1, "text": "autre édition", "t": 1}),
        prefix + "_meta": dumps({"v": 1, "other": "x"}),
        prefix + "zz.newer": dumps({"v": 2, "text": "futur", "t": 1}),
        prefix + "zz.bad": "[1, 2",
    }
    seed(page, others)
    out = page.evaluate(STORE_API, [prefix, book, edition])
    assert out["available"] is True
    assert out["prefix"] == prefix and out["key"] == prefix + "eveil.en-moi"
    assert out["empty"] == {"state": "empty"}
    assert out["write"] == {"ok": True}
    assert out["read"] == {"state": "ok", "text": "texte", "t": 1700000000000}
    assert out["protectedNewer"] == {"ok": False, "reason": "protected"}
    assert out["protectedBad"] == {"ok": False, "reason": "protected"}
    assert out["newer"] == {"state": "newer", "v": 2}
    assert out["bad"] == {"state": "unreadable"}
    assert out["invalidId"] == {"ok": False, "reason": "error"}
    assert out["ids"] == ["zz.a", "zz.bad", "zz.newer"]
    assert out["remove"] == {"ok": True}
    assert out["afterRemove"] == {"state": "empty"}
    assert out["probeLeft"] is None
    assert out["metaBefore"] == {"other": "x"}
    assert out["metaWrite"] == {"ok": True}
    assert out["metaAfter"] == {"other": "x", "mine": {"a": 1}}
    assert out["metaRaw"] == {"v": 1, "other": "x", "mine": {"a": 1}}
    assert out["metaNewer"] is None
    assert out["metaProtected"] == {"ok": False, "reason": "protected"}
    stored_meta = page.evaluate("(k) => localStorage.getItem(k)", prefix + "_meta")
    assert stored_meta == '{"v":7,"future":true}'
    others.pop(prefix + "_meta")
    for key, value in others.items():
        assert page.evaluate("(k) => localStorage.getItem(k)", key) == value, key
