/* Dateline: filter and search the timeline's index in the browser.
 *
 * Progressive enhancement: the page lists every event without this script, and the form stays
 * hidden. The script reveals the form, reads each event's data- attributes (written by the
 * templates), hides what does not match and keeps the choice in the query string
 * (?q=&tag=&place=&actor=&year=), so a filtered view can be shared and reloads as it was.
 * The search looks in what an event shows and in what the page says once for all events: the
 * names and other names (data-also) of its tags, places and actors, from the form's options,
 * and its sources' titles, from the endnotes its citations' numbers (data-n) refer to.
 * The form sits in a <details>: open on a wide screen, folded on a phone unless a filter is on.
 * "Show all events" shows only while a filter hides something. The period chosen in the
 * overview (static/overview.js) marks events data-outside: they are hidden too.
 */
(function () {
  "use strict";
  var box = document.getElementById("filters-box");
  var form = document.getElementById("filters");
  var status = document.getElementById("event-count");
  var clear = document.getElementById("filter-clear");
  if (!box || !form || !status || !clear || !window.URLSearchParams || !window.history || !history.replaceState) {
    return;
  }
  var search = form.elements.q;
  var selects = [].slice.call(form.querySelectorAll("select[data-attr]"));
  var sections = [].slice.call(document.querySelectorAll("section.month, section.year"));
  var total = Number(status.getAttribute("data-total"));

  /* A count written the page's language's way, as the build writes it: 10,000, 10 000. */
  var numbers = window.Intl ? new Intl.NumberFormat(document.documentElement.lang || "en") : null;
  function number(n) { return numbers ? numbers.format(n) : String(n); }

  /* Lowercase and drop accents: "Qamichlí" -> "qamichli". */
  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim();
  }

  var names = {};  // "tag attacks" -> "attacks | other names", from the options ("attacks (4)")
  selects.forEach(function (select) {
    [].forEach.call(select.options, function (option) {
      names[select.name + " " + option.value] = option.text.replace(/\s*\(\d+\)$/, "") + " | " + (option.getAttribute("data-also") || "");
    });
  });
  var sources = {};  // "3" -> the third endnote's text: title, publisher, authors
  [].forEach.call(document.querySelectorAll(".endnotes li[value]"), function (li) {
    sources[li.getAttribute("value")] = li.textContent;
  });

  var events = [].slice.call(document.querySelectorAll("li.event")).map(function (li) {
    var facets = {};
    var text = [li.textContent];  // the title, summary, date, place and publishers it shows
    selects.forEach(function (select) {
      facets[select.name] = (li.getAttribute("data-" + select.getAttribute("data-attr")) || "").split(" ");
      facets[select.name].forEach(function (value) { text.push(names[select.name + " " + value] || ""); });
    });
    [].forEach.call(li.querySelectorAll(".cites a[data-n]"), function (a) {
      text.push(sources[a.getAttribute("data-n")] || "");
    });
    return { li: li, text: fold(text.join(" | ")), facets: facets };
  });

  function matches(event, words) {
    return !event.li.hasAttribute("data-outside") && words.every(function (word) { return event.text.indexOf(word) !== -1; }) &&
      selects.every(function (select) {
        return !select.value || event.facets[select.name].indexOf(select.value) !== -1;
      });
  }

  function say(shown, active) {
    var template = !active ? form.getAttribute("data-all")
      : shown === 0 ? form.getAttribute("data-none")
      : shown === 1 ? form.getAttribute("data-one") : form.getAttribute("data-count");
    var text = template.replace("{n}", number(shown)).replace("{total}", number(total));
    if (status.textContent !== text) {
      status.textContent = text;
    }
  }

  function isActive() {
    return fold(search.value) !== "" || selects.some(function (select) { return select.value; }) ||
      events.some(function (event) { return event.li.hasAttribute("data-outside"); });  // overview.js's period
  }

  function apply() {
    var words = fold(search.value).split(" ").filter(Boolean);
    var active = isActive();
    var shown = 0;
    events.forEach(function (event) {
      var visible = !active || matches(event, words);
      event.li.hidden = !visible;
      shown += visible ? 1 : 0;
    });
    sections.forEach(function (section) {
      section.hidden = !section.querySelector("li.event:not([hidden])");
    });
    say(shown, active);
    clear.parentNode.hidden = !active;
  }

  function writeUrl() {
    var params = new URLSearchParams(location.search);  // keeping what is not ours (overview.js's period)
    params.delete("q");
    selects.forEach(function (select) { params.delete(select.name); });
    if (search.value.trim()) {
      params.set("q", search.value.trim());
    }
    selects.forEach(function (select) {
      if (select.value) {
        params.set(select.name, select.value);
      }
    });
    var query = params.toString();
    history.replaceState(history.state, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }

  function readUrl() {
    var params = new URLSearchParams(location.search);
    search.value = params.get("q") || "";
    selects.forEach(function (select) {
      var wanted = params.get(select.name) || "";
      var known = [].some.call(select.options, function (option) { return option.value === wanted; });
      select.value = known ? wanted : "";
    });
  }

  function update() {
    apply();
    writeUrl();
  }

  document.addEventListener("dateline:period", function (e) {  // static/overview.js chose a period
    e.preventDefault();
    apply();
  });
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  form.addEventListener("submit", function (e) { e.preventDefault(); update(); });
  clear.addEventListener("click", function () {
    search.value = "";
    selects.forEach(function (select) { select.value = ""; });
    update();
    search.focus();
  });
  window.addEventListener("pageshow", function (e) {
    if (e.persisted) {  // back from another page, out of the back-forward cache
      readUrl();
      apply();
    }
  });

  readUrl();
  apply();
  box.open = isActive() || !(window.matchMedia && matchMedia("(max-width: 30rem)").matches);
  box.hidden = false;
}());
