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
  document.addEventListener("click", function (ev) {
    var t = ev.target;
    if (!(t instanceof Element)) { return; }
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
    if (t.closest("a") || String(window.getSelection ? window.getSelection() : "")) { return; }
    var m = t.closest(".mk.cue[data-ref], .mk.speaker[data-ref], .mk.content[data-ref]") ||
      t.closest(".mk[data-ref]");
    if (m && m.closest("#article-text")) { go(m.getAttribute("data-ref"), "nearest"); }
  });
  window.addEventListener("popstate", function () { light(location.hash.slice(1)); });
  Array.prototype.forEach.call(document.querySelectorAll("button[data-toggle]"), function (b) {
    b.hidden = false;
  });
  var start = location.hash.slice(1);
  if (ID.test(start) && document.getElementById(start)) { reveal(document.getElementById(start)); }
  light(start);
})();
