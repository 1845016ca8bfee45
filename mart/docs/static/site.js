// mart docs: charts, highlights and search. Plain script, no network: data comes from the
// page itself or from search-index.js beside it (file:// pages may not fetch JSON).
(function () {
  "use strict";
  var root = document.body.getAttribute("data-root") || "";

  // Charts: Vega-Lite specs embedded in the page, rendered as SVG by Vega (static/vega.js).
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var spec = JSON.parse(document.getElementById(element.getAttribute("data-chart")).textContent);
    window.vegaEmbed(element, spec, { mode: "vega-lite", renderer: "svg", actions: false })
      .then(function () { element.setAttribute("data-rendered", "true"); })
      .catch(function (error) { console.error("chart failed", error); });
  });

  // Highlights: hovering or focusing a quote shows the facts it states; a click pins them.
  var popover = document.getElementById("fact-popover");
  var pinned = null;
  function show(mark) {
    popover.textContent = "";
    mark.getAttribute("data-facts").split(" ").forEach(function (id) {
      var card = document.getElementById("card-" + id);
      if (card) {
        var copy = card.cloneNode(true);
        copy.removeAttribute("id");
        popover.appendChild(copy);
      }
    });
    var box = mark.getBoundingClientRect();
    popover.style.top = (window.scrollY + box.bottom + 6) + "px";
    popover.style.left = Math.max(8, window.scrollX + box.left) + "px";
    popover.hidden = false;
  }
  function hide() {
    if (pinned) { pinned.classList.remove("active"); }
    pinned = null;
    popover.hidden = true;
  }
  if (popover) {
    document.querySelectorAll("mark.quote").forEach(function (mark) {
      mark.addEventListener("mouseenter", function () { if (!pinned) { show(mark); } });
      mark.addEventListener("mouseleave", function () { if (!pinned) { popover.hidden = true; } });
      mark.addEventListener("focus", function () { if (!pinned) { show(mark); } });
      mark.addEventListener("click", function (event) {
        event.stopPropagation();
        if (pinned === mark) { hide(); return; }
        hide();
        pinned = mark;
        mark.classList.add("active");
        show(mark);
      });
    });
    popover.addEventListener("click", function (event) { event.stopPropagation(); });
    document.addEventListener("click", hide);
    document.addEventListener("keydown", function (event) { if (event.key === "Escape") { hide(); } });
  }

  // Search: companies, metrics and quotes, from search-index.js, loaded on first use.
  var input = document.getElementById("search");
  var list = document.getElementById("search-results");
  var lowered = null;
  function load() {
    if (window.martSearchIndex || document.getElementById("search-index")) { return; }
    var script = document.createElement("script");
    script.id = "search-index";
    script.src = root + "search-index.js";
    script.onload = run;
    document.head.appendChild(script);
  }
  function run() {
    var entries = window.martSearchIndex;
    var query = input.value.trim().toLowerCase();
    list.textContent = "";
    if (!query || !entries) { list.hidden = true; return; }
    if (!lowered) { lowered = entries.map(function (e) { return e[1].toLowerCase(); }); }
    var shown = 0;
    for (var i = 0; i < entries.length && shown < 50; i++) {
      if (lowered[i].indexOf(query) < 0) { continue; }
      var item = document.createElement("li");
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = entries[i][0];
      var link = document.createElement("a");
      link.href = root + entries[i][2];
      link.textContent = entries[i][1];
      item.appendChild(kind);
      item.appendChild(link);
      if (entries[i][3]) {
        var detail = document.createElement("span");
        detail.className = "detail";
        detail.textContent = entries[i][3];
        item.appendChild(detail);
      }
      list.appendChild(item);
      shown++;
    }
    if (!shown) {
      var none = document.createElement("li");
      none.textContent = "Nothing found.";
      list.appendChild(none);
    }
    list.hidden = false;
  }
  input.addEventListener("focus", load);
  input.addEventListener("input", function () { load(); run(); });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { input.value = ""; run(); }
  });
})();
