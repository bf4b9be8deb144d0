(function () {
  "use strict";
  var lit = [];
  var ID = /^[a-z]+(-[a-z0-9]+)*$/;
  function light(id) {
    lit.forEach(function (el) { el.classList.remove("hit"); });
    lit = [];
    if (!ID.test(id)) { return; }
    var sel = "#" + id + ', [data-a="' + id + '"], [data-ref="' + id + '"], .in-' + id;
    lit = Array.prototype.slice.call(document.querySelectorAll(sel));
    lit.forEach(function (el) { el.classList.add("hit"); });
  }
  function reveal(el) {
    for (var d = el; d; d = d.parentElement) {
      if (d.tagName === "DETAILS") { d.open = true; }
    }
  }
  function go(id, block) {
    var el = document.getElementById(id);
    if (!el) { return false; }
    reveal(el);
    history.pushState(null, "", "#" + id);
    light(id);
    el.scrollIntoView({ block: block, behavior: "smooth" });
    return true;
  }
  // The panels show copies of a card's parts (cloned nodes: no markup is parsed here).
  function show(panelId, parts) {
    var panel = document.getElementById(panelId);
    if (!panel) { return false; }
    var body = panel.querySelector(".popup-body");
    while (body.firstChild) { body.removeChild(body.firstChild); }
    parts.forEach(function (p) { if (p) { body.appendChild(p.cloneNode(true)); } });
    panel.hidden = false;
    return true;
  }
  function showStatement(id) {
    var card = document.getElementById(id);
    if (!card) { return false; }
    history.pushState(null, "", "#" + id);
    light(id);
    var ok = show("statement-panel", [card.querySelector(".card-head"), card.querySelector(".gist"),
      card.querySelector("dl.kv")]);
    if (ok) { document.getElementById("statement-panel").scrollIntoView({ block: "nearest" }); }
    return ok;
  }
  function showClaim(card) {
    light(card.id);
    var ok = show("claim-panel", [card.querySelector(".card-head"), card.querySelector(".claim-text"),
      card.querySelector("ol.holders")]);
    if (ok) { document.getElementById("claim-panel").scrollIntoView({ block: "nearest" }); }
  }
  document.addEventListener("click", function (ev) {
    var t = ev.target;
    if (!(t instanceof Element)) { return; }
    var c = t.closest("button[data-close]");
    if (c) {
      var p = document.getElementById(c.getAttribute("data-close"));
      if (p) { p.hidden = true; }
      return;
    }
    var b = t.closest("button[data-toggle]");
    if (b) {
      var cards = document.querySelectorAll("#" + b.getAttribute("data-toggle") + " details");
      var open = b.textContent === "open all";
      Array.prototype.forEach.call(cards, function (d) { d.open = open; });
      b.textContent = open ? "close all" : "open all";
      return;
    }
    var a = t.closest('a[href^="#"]');
    if (a) {
      var id = a.getAttribute("href").slice(1);
      var inPanel = !!document.getElementById(id) && !!document.getElementById(id).closest(".panel");
      if (ID.test(id) && go(id, inPanel ? "nearest" : "center")) { ev.preventDefault(); }
      return;
    }
    var s = t.closest("#claims details.claim > summary");
    if (s) { showClaim(s.parentElement); return; }
    if (t.closest("a") || String(window.getSelection ? window.getSelection() : "")) { return; }
    var m = t.closest(".mk.cue[data-ref], .mk.speaker[data-ref], .mk.content[data-ref]") ||
      t.closest(".mk[data-ref]");
    if (m && m.closest("#article")) {
      var ref = m.getAttribute("data-ref");
      if (/^st-[0-9]+$/.test(ref) && showStatement(ref)) { return; }
      go(ref, "nearest");
    }
  });
  window.addEventListener("popstate", function () { light(location.hash.slice(1)); });
  Array.prototype.forEach.call(document.querySelectorAll("button[data-toggle]"), function (b) {
    b.hidden = false;
  });
  var start = location.hash.slice(1);
  if (ID.test(start) && document.getElementById(start)) {
    reveal(document.getElementById(start));
    // A link to a statement from elsewhere (e.g. a corpus page): show where it is in the text.
    var mark = document.querySelector('#article [data-ref="' + start + '"]');
    if (mark) { mark.scrollIntoView({ block: "center" }); }
  }
  light(start);
})();
