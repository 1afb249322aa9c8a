/* Dateline: zoom the overview, and choose a period in it that filters the list below.
 *
 * Progressive enhancement: the overview is drawn by the build (templates/_overview.html) and its
 * marks link to the events without this script. The script adds zoom and pan (buttons, + and -),
 * and a period chosen by dragging across the overview, with the arrow keys on it, or with two
 * date fields. The period hides the events outside it and stays in the query string
 * (?from=2019-10-01&to=2019-10-15), so the view can be shared. Where static/filter.js runs (the
 * index) it does the hiding, combining the period with its own filters: this script marks each
 * event outside the period with data-outside and fires a cancelable "dateline:period" event on
 * document, which filter.js takes up; elsewhere this script hides the events itself.
 */
(function () {
  "use strict";
  var fig = document.getElementById("overview");
  if (!fig || !window.URLSearchParams || !history.replaceState || !window.CustomEvent) {
    return;
  }
  var NS = "http://www.w3.org/2000/svg", DAY = 864e5, EPOCH = 719163;  // day number of 1970-01-01
  var svg = fig.querySelector("svg"), axis = svg.querySelector(".ov-axis");
  var ui = fig.getAttribute("data-ui").split("|");
  var lang = document.documentElement.lang || "en";
  var numbers = window.Intl ? new Intl.NumberFormat(lang) : null;
  function number(n) { return numbers ? numbers.format(n) : String(n); }  // 10,000 as the build writes it

  function day(y, m, d) {  // the day number of a date (1 for 1 January of year 1), as Python's toordinal()
    var t = new Date(0);
    t.setUTCFullYear(y, m - 1, d);
    return Math.round(t.getTime() / DAY) + EPOCH;
  }
  function date(n) { return new Date((n - EPOCH) * DAY); }
  function pad(n, w) { var s = String(n); while (s.length < w) { s = "0" + s; } return s; }
  function iso(n) {
    var d = date(n);
    return pad(d.getUTCFullYear(), 4) + "-" + pad(d.getUTCMonth() + 1, 2) + "-" + pad(d.getUTCDate(), 2);
  }
  /* [first day, day after the last] of an ISO date at its precision: 2019, 2019-10, 2019-10-06. */
  function extent(text) {
    var m = /^(\d{4})(?:-(\d\d))?(?:-(\d\d))?/.exec(text || "");
    if (!m) { return null; }
    if (m[3]) { var d = day(+m[1], +m[2], +m[3]); return [d, d + 1]; }
    if (m[2]) { return [day(+m[1], +m[2], 1), day(+m[1], +m[2] + 1, 1)]; }
    return [day(+m[1], 1, 1), day(+m[1] + 1, 1, 1)];
  }

  var start = extent(fig.getAttribute("data-from"))[0], stop = extent(fig.getAttribute("data-to"))[1];
  var view = [start, stop], period = null;

  /* The days each event with an end may cover (the others': their date's, from the list). */
  var spans = {}, words = (fig.getAttribute("data-spans") || "").split(" ");
  for (var i = 0; i + 2 < words.length; i += 3) {
    spans[words[i]] = [extent(words[i + 1])[0], extent(words[i + 2])[1]];
  }
  function days(li) {
    var time = li.querySelector(".when time");
    return spans[li.id] || extent(time && time.getAttribute("datetime"));
  }

  function make(name, attrs, parent) {  // an SVG element with its attributes ("" for none), added to `parent`
    var el = document.createElementNS(NS, name);
    for (var key in attrs) { if (attrs[key] !== "") { el.setAttribute(key, attrs[key]); } }
    return parent.appendChild(el);
  }

  /* Where the build counted events, it also says where each would be drawn (when few enough), a
     word a mark in the list's order (render/overview.py, Overview.detail_data): "x" for a day,
     "x:width" for a bar, in per cent of the axis, then s (a span), q (approximate), x (disputed).
     The marks are drawn here, hidden until the view is close enough for them to fit in their
     rows; each links to the list's event of its rank, titled with its date and headline. */
  function drawDetail() {
    var layer = svg.querySelector(".ov-detail"), lis = document.querySelectorAll("li.event");
    var data = layer && layer.getAttribute("data-marks"), share = (stop - start) / 100;
    var marks = data ? data.split(" ").map(function (word) { return /^([\d.]+)(?::([\d.]+))?(s?)(q?)(x?)$/.exec(word); }) : [];
    // Mark i is the i-th event of the list: where a site's own templates list other events, or in
    // another order (a mark outside its event's days), there is no closer view rather than a wrong one.
    if (marks.length !== lis.length || marks.some(function (m, i) {
      var at = m && +m[1] * share + start, d = m && days(lis[i]), slack = 1 + share / 1000;  // x has 3 decimals
      return !d || !(at > d[0] - slack && at < d[1] + slack);
    })) { return []; }
    return marks.map(function (m, i) {
      var li = lis[i];
      var a = make("a", { href: "#" + li.id, tabindex: -1, "class": (m[4] ? "q" : "") + (m[4] && m[5] ? " " : "") + (m[5] ? "x" : "") }, layer);
      var badge = li.classList.contains("disputed") && li.querySelector(".when .badge");
      make("title", {}, a).textContent = li.querySelector(".when time").textContent + ": " +
        li.querySelector(".event-title").textContent + (badge ? " (" + badge.textContent + ")" : "");
      if (m[5]) { make("circle", { "class": "ring", cx: m[1] + "%", r: 8 }, a); }
      make(m[2] ? "rect" : "circle", m[2] ? { x: m[1] + "%", width: m[2] + "%", height: 6, rx: m[3] && 3 } : { cx: m[1] + "%", r: 5 }, a);
      var from = +m[1] * share + start;
      return { shapes: [].slice.call(a.children, 1), point: !m[2], from: from, to: m[2] ? from + m[2] * share : from };
    });
  }

  var details = drawDetail();

  /* Every drawn position, as a day, so that zoom can place it again. */
  var placed = [];
  [].forEach.call(svg.querySelectorAll(".ov-marks rect, .ov-marks circle"), function (el) {
    ["x", "cx", "width"].forEach(function (name) {
      var value = el.getAttribute(name);
      if (value && value.slice(-1) === "%") {
        var share = parseFloat(value) / 100 * (stop - start);
        placed.push({ el: el, name: name, at: name === "width" ? share : start + share });
      }
    });
  });
  var builtTicks = [].slice.call(axis.childNodes, 1);
  var axisY = +axis.firstElementChild.getAttribute("y1");

  /* The detail layer's rows, laid out for the view. */
  var ROWS = 4, MAX_ROWS = 10, ROW = 14, RADIUS = 5, height = +svg.getAttribute("height"), all = svg.firstElementChild;
  var sameDay = {};  // points of one day share it side by side: the hour is not shown, and seldom known
  details.forEach(function (d) {
    if (d.point) {
      d.day = Math.floor(d.from);
      d.rank = sameDay[d.day] = (sameDay[d.day] || 0) + 1;
    }
  });
  details.forEach(function (d) {
    if (d.point) { d.from = d.to = d.day + (d.rank - 0.5) / sameDay[d.day]; }
  });
  function layOut() {
    var perDay = svg.getBoundingClientRect().width / (view[1] - view[0]), ends = [];
    var fits = view[0] > start || view[1] < stop;  // the whole axis stays as the build drew it: no shift on load
    details.forEach(function (d) {
      var left = (d.from - view[0]) * perDay - (d.point ? RADIUS : 0);
      var right = (d.to - view[0]) * perDay + (d.point ? RADIUS : 0), row = 0;
      if (right >= 0 && left <= perDay * (view[1] - view[0])) {  // in sight: it needs a row of its own
        while (row < MAX_ROWS && ends[row] !== undefined && ends[row] + 2 > left) { row++; }
        if (row === MAX_ROWS) { fits = false; row = 0; } else { ends[row] = right; }
      }
      var y = axisY - ROW / 2 - row * ROW;
      d.shapes.forEach(function (shape) {
        shape.setAttribute(shape.tagName === "rect" ? "y" : "cy", shape.tagName === "rect" ? y - 3 : y);
        if (d.point) { shape.setAttribute("cx", pct(d.from)); }
      });
    });
    fig.classList.toggle("fine", fits);
    var extra = fits ? Math.max(0, ends.length - ROWS) * ROW : 0;  // more rows than the build drew: grow upwards
    svg.setAttribute("height", height + extra);
    all.setAttribute("transform", "translate(0," + extra + ")");
    brush.setAttribute("y", -extra);
    brush.setAttribute("height", axisY + extra);
  }

  /* The events of the list, with the days they may cover. */
  var items = [].slice.call(document.querySelectorAll("li.event")).map(function (li) {
    return { li: li, days: days(li) };
  }).filter(function (item) { return item.days; });
  var sections = [].slice.call(document.querySelectorAll("section.month, section.year"));

  function pct(n) { return (n - view[0]) * 100 / (view[1] - view[0]) + "%"; }

  /* Axis labels for the view, chosen as render/overview_axis.py chooses them. */
  var STEPS = [["d", 1], ["d", 2], ["d", 7], ["m", 1], ["m", 3], ["m", 6], ["y", 1], ["y", 2], ["y", 5],
    ["y", 10], ["y", 20], ["y", 50], ["y", 100], ["y", 200], ["y", 500], ["y", 1000]];
  var monthName = (function () {
    var format = window.Intl ? new Intl.DateTimeFormat(lang, { month: "long", timeZone: "UTC" }) : null;
    return function (m) { return format ? format.format(new Date(Date.UTC(2000, m, 1))) : String(m + 1); };
  }());
  function tickDays(a, b, unit, step) {
    var out = [], n, k, first = date(a), last = date(b - 1);
    if (unit === "d") {
      if (b - a > 400) { return null; }
      for (n = a; n < b; n++) {
        k = date(n).getUTCDate();
        if (step === 1 || ((k - 1) % step === 0 && k < 29)) { out.push(n); }
      }
    } else if (unit === "m") {
      for (k = first.getUTCFullYear() * 12 + first.getUTCMonth(); k <= last.getUTCFullYear() * 12 + last.getUTCMonth(); k++) {
        n = day(Math.floor(k / 12), k % 12 + 1, 1);
        if (k % step === 0 && n >= a) { out.push(n); }
      }
    } else {
      for (k = first.getUTCFullYear(); k <= last.getUTCFullYear(); k++) {
        n = day(k, 1, 1);
        if (k % step === 0 && n >= a) { out.push(n); }
      }
    }
    return out;
  }
  function drawTicks() {
    builtTicks.concat([].slice.call(axis.querySelectorAll(".js"))).forEach(function (el) {
      if (el.parentNode) { axis.removeChild(el); }
    });
    if (view[0] === start && view[1] === stop) {
      builtTicks.forEach(function (el) { axis.appendChild(el); });
      return;
    }
    var a = Math.ceil(view[0]), b = Math.floor(view[1]), days = [], unit = "y";
    for (var s = 0; s < STEPS.length; s++) {
      days = tickDays(a, b, STEPS[s][0], STEPS[s][1]);
      unit = STEPS[s][0];
      if (days && days.length <= 7) { break; }
    }
    var y = axisY;
    days.forEach(function (n, index) {
      var d = date(n), x = (n - view[0]) * 100 / (view[1] - view[0]);
      var label = unit === "y" ? String(d.getUTCFullYear())
        : unit === "m" ? (d.getUTCMonth() === 0 ? String(d.getUTCFullYear())
          : monthName(d.getUTCMonth()) + (index === 0 ? " " + d.getUTCFullYear() : ""))
        : (index === 0 || d.getUTCDate() === 1 ? d.getUTCDate() + " " + monthName(d.getUTCMonth()) : String(d.getUTCDate()));
      make("line", { x1: x + "%", x2: x + "%", y1: y, y2: y + 5, "class": "js" }, axis);
      make("text", { x: x + "%", y: y + 18, "text-anchor": x < 6 ? "start" : x > 94 ? "end" : "",
                     "class": "js" + (index % 2 ? " minor" : "") }, axis).textContent = label;
    });
  }

  var brush = make("rect", { "class": "ov-brush", y: 0, height: axisY }, all);  // over the marks, see-through, letting clicks through (style.css)

  function draw() {
    placed.forEach(function (p) {
      p.el.setAttribute(p.name, p.name === "width" ? p.at * 100 / (view[1] - view[0]) + "%" : pct(p.at));
    });
    drawTicks();
    if (details.length) { layOut(); }
    brush.style.display = period ? "" : "none";
    if (period) {
      brush.setAttribute("x", pct(period[0]));
      brush.setAttribute("width", (period[1] - period[0]) * 100 / (view[1] - view[0]) + "%");
    }
  }

  /* Zoom by `factor` around day `centre`, and keep the view inside the axis. */
  function zoom(factor, centre) {
    var span = Math.min(stop - start, Math.max(7, (view[1] - view[0]) * factor));
    if (centre === undefined) { centre = period ? (period[0] + period[1]) / 2 : (view[0] + view[1]) / 2; }
    var from = centre - (centre - view[0]) * span / (view[1] - view[0]);
    move(from, from + span);
  }
  function move(from, to) {
    var span = to - from;
    from = Math.max(start, Math.min(from, stop - span));
    view = [from, from + span];
    draw();
  }
  function step() {
    var span = view[1] - view[0];
    return span <= 62 ? 1 : span <= 400 ? 7 : span <= 3700 ? 30 : 365;
  }

  /* The period: which events it keeps, what the URL and the fields say. */
  var tools = document.createElement("div"), status = document.createElement("p");
  function field(label) {
    var wrap = document.createElement("label"), input = document.createElement("input");
    input.type = "date";
    input.min = iso(start);
    input.max = iso(stop - 1);
    wrap.appendChild(document.createTextNode(label + " "));
    wrap.appendChild(input);
    return { wrap: wrap, input: input };
  }
  function button(label, act, symbol) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = symbol || label;
    if (symbol) {
      b.setAttribute("aria-label", label);
      b.title = label;
    }
    b.addEventListener("click", act);
    tools.appendChild(b);
    return b;
  }
  var fromField = field(ui[4]), toField = field(ui[5]), hint = null;

  function apply(writeUrl) {
    var shown = 0;
    items.forEach(function (item) {
      var inside = !period || (item.days[0] < period[1] && item.days[1] > period[0]);
      if (inside) { item.li.removeAttribute("data-outside"); } else { item.li.setAttribute("data-outside", ""); }
      shown += inside ? 1 : 0;
    });
    var told = new CustomEvent("dateline:period", { cancelable: true });
    document.dispatchEvent(told);
    if (!told.defaultPrevented) {  // no filter.js on this page: hide and count here
      items.forEach(function (item) { item.li.hidden = item.li.hasAttribute("data-outside"); });
      sections.forEach(function (section) {
        section.hidden = !section.querySelector("li.event:not([hidden])");
      });
      var text = period ? ui[9].replace("{n}", number(shown)).replace("{total}", number(items.length)) : "";
      if (status.textContent !== text) { status.textContent = text; }
    }
    fromField.input.value = period ? iso(period[0]) : "";
    toField.input.value = period ? iso(period[1] - 1) : "";
    svg.setAttribute("aria-label", ui[8] + (period ? ": " + iso(period[0]) + " – " + iso(period[1] - 1) : ""));
    if (writeUrl) {
      var params = new URLSearchParams(location.search);
      params.delete("from");
      params.delete("to");
      if (period) {
        params.set("from", iso(period[0]));
        params.set("to", iso(period[1] - 1));
      }
      var query = params.toString();
      history.replaceState(history.state, "", location.pathname + (query ? "?" + query : "") + location.hash);
    }
    draw();
  }
  function choose(from, to) {  // days, `to` excluded; null clears
    if (from === null) {
      period = null;
    } else {
      from = Math.max(start, Math.min(from, stop - 1));
      period = [from, Math.max(from + 1, Math.min(to, stop))];
      if (period[0] < view[0] || period[1] > view[1]) {  // keep the period in sight
        var span = Math.max(view[1] - view[0], period[1] - period[0]);
        move(period[0] - (span - (period[1] - period[0])) / 2, period[0] + (span + (period[1] - period[0])) / 2);
      }
    }
    apply(true);
  }

  function readUrl() {
    var params = new URLSearchParams(location.search);
    var from = extent(params.get("from")), to = extent(params.get("to"));
    period = from || to ? [Math.max(start, from ? from[0] : start), Math.min(stop, to ? to[1] : stop)] : null;
    if (period && period[1] <= period[0]) { period = null; }
  }

  button(ui[0], function () { zoom(0.5); }, "+");
  button(ui[1], function () { zoom(2); }, "\u2212");
  button(ui[2], function () { var s = view[1] - view[0]; move(view[0] - s / 4, view[1] - s / 4); }, "\u2190");
  button(ui[3], function () { var s = view[1] - view[0]; move(view[0] + s / 4, view[1] + s / 4); }, "\u2192");
  tools.className = "ov-tools";
  status.className = "ov-status";
  status.setAttribute("role", "status");
  if (items.length) {  // a period filters the list: not on a home page that lists years
    tools.appendChild(fromField.wrap);
    tools.appendChild(toField.wrap);
    button(ui[6], function () { choose(null); });
    [fromField.input, toField.input].forEach(function (input) {
      input.addEventListener("change", function () {
        var from = extent(fromField.input.value), to = extent(toField.input.value);
        if (from || to) { choose(from ? from[0] : start, to ? to[1] : stop); } else { choose(null); }
      });
    });
    hint = document.createElement("p");
    hint.id = "overview-hint";
    hint.className = "ov-hint";
    hint.textContent = ui[7];
    fig.appendChild(hint);
    svg.setAttribute("tabindex", "0");
    svg.setAttribute("aria-describedby", "overview-hint");
    svg.addEventListener("keydown", keys);
    svg.addEventListener("pointerdown", press);
    var clear = document.getElementById("filter-clear");
    if (clear) { clear.addEventListener("click", function () { choose(null); }); }
  }
  fig.insertBefore(tools, hint || null);
  fig.appendChild(status);

  function keys(e) {
    var s = step(), p = period || [Math.floor(view[0]), Math.floor(view[0]) + s];
    var k = e.key;
    if (k === "ArrowRight" || k === "ArrowLeft") {
      var d = k === "ArrowRight" ? s : -s;
      if (!period) { choose(p[0], p[1]); } else if (e.shiftKey) { choose(p[0], Math.max(p[0] + 1, p[1] + d)); } else { choose(p[0] + d, p[1] + d); }
    } else if (k === "+" || k === "=") {
      zoom(0.5);
    } else if (k === "-" || k === "_") {
      zoom(2);
    } else if (k === "Escape" && period) {
      choose(null);
    } else {
      return;
    }
    e.preventDefault();
  }

  /* Dragging across the overview chooses a period; a click without a drag follows the mark's link. */
  function dayAt(x) {
    var box = svg.getBoundingClientRect();
    return Math.floor(view[0] + (x - box.left) / box.width * (view[1] - view[0]));
  }
  function press(e) {
    if (e.button !== 0) { return; }
    var x0 = e.clientX, d0 = dayAt(x0), dragged = false;
    function moveTo(ev) {
      if (!dragged && Math.abs(ev.clientX - x0) < 5) { return; }
      if (!dragged) { svg.setPointerCapture(e.pointerId); }
      dragged = true;
      var d1 = dayAt(ev.clientX);
      period = [Math.max(start, Math.min(d0, d1)), Math.min(stop, Math.max(d0, d1) + 1)];
      draw();
    }
    function release() {
      svg.removeEventListener("pointermove", moveTo);
      svg.removeEventListener("pointerup", release);
      svg.removeEventListener("pointercancel", release);
      if (dragged) {
        choose(period[0], period[1]);
        var swallow = function (ev) { ev.preventDefault(); };  // the click that ends a drag opens no link
        svg.addEventListener("click", swallow, true);
        setTimeout(function () { svg.removeEventListener("click", swallow, true); }, 0);
      }
    }
    svg.addEventListener("pointermove", moveTo);
    svg.addEventListener("pointerup", release);
    svg.addEventListener("pointercancel", release);
    e.preventDefault();  // no text selection while dragging (which also keeps the focus away: give it)
    svg.focus({ preventScroll: true });
  }

  readUrl();
  apply(false);
}());
