// Every formula, metric, table, chart title, axis title, legend or chart label a viewer cannot
// read in full
// (see browser_checks.clipped): [[kind, text, detail], ...].
(() => {
  const out = [];
  const main = document.querySelector('[data-testid="stMain"] [data-testid="stMainBlockContainer"]')
            || document.querySelector('[data-testid="stMain"]');
  const mainBox = main.getBoundingClientRect();
  const viewRight = document.documentElement.clientWidth;
  const visible = e => {
    const s = getComputedStyle(e);
    if (s.display === 'none' || s.visibility === 'hidden') return false;
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && e.closest('[hidden], details:not([open]) > :not(summary)') === null;
  };
  const label = e => (e.innerText || e.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 60);
  // the page's small text: its captions' type (none on the page: no check of chart titles' type)
  const caption = [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stCaptionContainer"] p')].find(visible);
  const smallText = caption ? parseFloat(getComputedStyle(caption).fontSize) : null;
  const SLACK = 1.5;
  // how far two boxes overlap: [width, height], either negative when they do not meet
  const overlap = (r, q) => [Math.min(r.right, q.right) - Math.max(r.left, q.left),
                             Math.min(r.bottom, q.bottom) - Math.max(r.top, q.top)];
  // an element is cut when it reaches past its own container, the main column or the viewport,
  // or when an ancestor hides (overflow hidden / clip / scroll) part of it
  const cut = (e, container) => {
    const r = e.getBoundingClientRect();
    const reasons = [];
    const c = container.getBoundingClientRect();
    if (r.right > c.right + SLACK) reasons.push(`right edge ${r.right.toFixed(0)} > container ${c.right.toFixed(0)}`);
    if (r.left < c.left - SLACK) reasons.push(`left edge ${r.left.toFixed(0)} < container ${c.left.toFixed(0)}`);
    if (r.right > mainBox.right + SLACK) reasons.push(`right edge ${r.right.toFixed(0)} > main column ${mainBox.right.toFixed(0)}`);
    if (r.right > viewRight + SLACK) reasons.push(`right edge ${r.right.toFixed(0)} > viewport ${viewRight}`);
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.overflowX !== 'visible') {
        const ar = a.getBoundingClientRect();
        if (r.right > ar.right + SLACK || r.left < ar.left - SLACK) {
          reasons.push(`hidden by an overflow:${s.overflowX} ancestor (${r.left.toFixed(0)}..${r.right.toFixed(0)} outside ${ar.left.toFixed(0)}..${ar.right.toFixed(0)})`);
          break;
        }
      }
      if (a === container) break;
    }
    return reasons;
  };
  // text cut with an ellipsis or hidden overflow inside the element itself
  const truncated = e => {
    const all = [e, ...e.querySelectorAll('*')];
    for (const x of all) {
      const s = getComputedStyle(x);
      if (x.scrollWidth > x.clientWidth + 1 && s.overflowX !== 'visible') return `text cut (${x.scrollWidth}px of text in ${x.clientWidth}px)`;
      if (s.textOverflow === 'ellipsis' && x.scrollWidth > x.clientWidth + 1) return 'ellipsis';
    }
    return null;
  };
  const scope = '[data-testid="stMain"] ';
  for (const k of document.querySelectorAll(scope + '.katex')) {
    if (!visible(k) || k.closest('.katex .katex')) continue;
    const container = k.closest('[data-testid="stElementContainer"]') || main;
    const reasons = cut(k, container);
    if (reasons.length) out.push(['formula', label(k), reasons.join('; ')]);
  }
  for (const m of document.querySelectorAll(scope + '[data-testid="stMetric"]')) {
    if (!visible(m)) continue;
    for (const [sel, kind] of [['[data-testid="stMetricLabel"]', 'metric label'], ['[data-testid="stMetricValue"]', 'metric value'], ['[data-testid="stMetricDelta"]', 'metric delta']]) {
      const e = m.querySelector(sel);
      if (!e || !visible(e)) continue;
      const reasons = cut(e, m.closest('[data-testid="stElementContainer"]') || m);
      const t = truncated(e);
      if (t) reasons.push(t);
      if (reasons.length) out.push([kind, label(e), reasons.join('; ')]);
    }
  }
  for (const d of document.querySelectorAll(scope + '[data-testid="stDataFrame"]')) {
    if (!visible(d)) continue;
    const scroller = d.querySelector('.dvn-scroller');
    if (scroller && scroller.scrollWidth > scroller.clientWidth + 1) {
      out.push(['table', label(d).slice(0, 40), `columns need ${scroller.scrollWidth}px, the table shows ${scroller.clientWidth}px (hidden columns)`]);
    }
    const reasons = cut(d, d.closest('[data-testid="stElementContainer"]') || main);
    if (reasons.length) out.push(['table', label(d).slice(0, 40), reasons.join('; ')]);
  }
  for (const t of document.querySelectorAll(scope + '[data-testid="stTable"] table, ' + scope + '.nnlab-table table')) {
    if (!visible(t)) continue;
    const container = t.closest('[data-testid="stElementContainer"]') || main;
    const reasons = cut(t, container);
    const wrap = t.parentElement;
    if (wrap && wrap.scrollWidth > wrap.clientWidth + 1) reasons.push(`columns need ${wrap.scrollWidth}px, ${wrap.clientWidth}px shown`);
    if (reasons.length) out.push(['table', label(t).slice(0, 40), reasons.join('; ')]);
  }
  // tab labels: a tab list wider than its column scrolls, cutting the labels at its edges
  for (const tab of document.querySelectorAll(scope + '[data-testid="stTabs"] [role="tab"]')) {
    if (!visible(tab)) continue;
    const reasons = cut(tab, tab.closest('[data-testid="stTabs"]') || main);
    if (reasons.length) out.push(['tab label', label(tab), reasons.join('; ')]);
  }
  // a control's chosen values or options: a multiselect's tags or a row of pills that scrolls
  // sideways hides those past its edge (Streamlit 1.67 keeps the tags on one line)
  for (const row of document.querySelectorAll(scope + '[data-testid="stMultiSelectTagsContainer"], '
                                              + scope + '[data-testid="stButtonGroup"]')) {
    if (!visible(row)) continue;
    const box = row.getBoundingClientRect();
    const pills = row.getAttribute('data-testid') === 'stButtonGroup';
    // a multiselect's tags: (its row) > span (display: contents) > span (a tag) > span[title]
    const items = [...row.querySelectorAll(pills ? 'button' : ':scope > span > span')];
    const hidden = items.filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && (r.right > box.right + 1 || r.left < box.left - 1); });
    const kind = pills ? 'pills' : 'multiselect';
    const name = label(row.closest('[data-testid="stElementContainer"]') || row).slice(0, 40);
    if (row.scrollWidth > row.clientWidth + 1 || hidden.length) {
      out.push([kind, name, `needs ${row.scrollWidth}px, shows ${row.clientWidth}px: ${hidden.map(label).filter(Boolean).join(', ') || 'values'} hidden`]);
    }
    for (const item of items) {
      const cut = truncated(item);
      if (cut) out.push([kind, label(item) || (item.querySelector('[title]') || item).getAttribute('title') || name, cut]);
    }
  }
  // a button's label or a control's label ended in "..." ("Clear ..." for "Clear your points" in
  // a presenter column at 1024 px)
  for (const [sel, kind] of [['button', 'button label'], ['[data-testid="stWidgetLabel"]', 'control label']]) {
    for (const e of document.querySelectorAll(scope + sel)) {
      if (!visible(e) || e.closest('[data-testid="stButtonGroup"]')) continue;
      const t = truncated(e);
      if (t) out.push([kind, label(e) || e.getAttribute('title') || '', t]);
    }
  }
  // a select box's chosen value cut by its box ("ada" for "adam" in a column too narrow)
  for (const input of document.querySelectorAll(scope + '[data-testid="stSelectbox"] input[role="combobox"]')) {
    if (!visible(input)) continue;
    if (input.scrollWidth > input.clientWidth + 1) {
      out.push(['select value', input.value, `text cut (${input.scrollWidth}px of text in ${input.clientWidth}px)`]);
    }
  }
  for (const plot of document.querySelectorAll(scope + '.js-plotly-plot')) {
    if (!visible(plot)) continue;
    const svg = plot.querySelector('.main-svg');
    if (!svg) continue;
    const box = svg.getBoundingClientRect();
    const inside = (e, kind) => {
      if (!visible(e) || !(e.textContent || '').trim()) return;
      const r = e.getBoundingClientRect();
      const reasons = [];
      if (r.right > box.right + SLACK) reasons.push(`right edge ${r.right.toFixed(0)} > chart ${box.right.toFixed(0)}`);
      if (r.left < box.left - SLACK) reasons.push(`left edge ${r.left.toFixed(0)} < chart ${box.left.toFixed(0)}`);
      if (r.top < box.top - SLACK) reasons.push(`top ${r.top.toFixed(0)} < chart ${box.top.toFixed(0)}`);
      if (r.bottom > box.bottom + SLACK) reasons.push(`bottom ${r.bottom.toFixed(0)} > chart ${box.bottom.toFixed(0)}`);
      if (reasons.length) out.push([kind, label(e), reasons.join('; ')]);
    };
    plot.querySelectorAll('.gtitle').forEach(e => inside(e, 'chart title'));
    // a chart's title and subtitle in type no smaller than the page's small text (its captions);
    // on a phone the page sets chart titles smaller on purpose, to fit one line
    if (smallText && document.documentElement.clientWidth > 480) {
      for (const t of plot.querySelectorAll('.gtitle, .gtitle tspan, .gtitle-subtitle, .gtitle-subtitle tspan')) {
        if (!visible(t) || !(t.textContent || '').trim()) continue;
        const size = parseFloat(getComputedStyle(t).fontSize);
        if (size < smallText - 0.5) {
          out.push(['chart title', label(t), `type ${size.toFixed(1)}px, under the page's small text (${smallText.toFixed(1)}px)`]);
          break;
        }
      }
    }
    // plotly's toolbar shows while the pointer is over the chart (it is laid out, transparent,
    // the rest of the time): it must not cover the chart's title
    const bar = plot.querySelector('.modebar');
    if (bar && bar.getBoundingClientRect().width > 0) {
      const m = bar.getBoundingClientRect();
      for (const t of plot.querySelectorAll('.gtitle')) {
        const r = t.getBoundingClientRect();
        const [w, h] = overlap(m, r);
        if (w > 2 && h > 2) out.push(['chart title', label(t), `the chart's toolbar covers ${w.toFixed(0)} px of it on hover`]);
      }
    }
    plot.querySelectorAll('.g-xtitle text, .g-ytitle text, .g-x2title text, .g-y2title text, [class^="g-x"][class$="title"] text, [class^="g-y"][class$="title"] text').forEach(e => inside(e, 'axis title'));
    plot.querySelectorAll('.annotation-text').forEach(e => inside(e, 'chart annotation'));
    // legends must not sit on tick labels
    const ticks = [...plot.querySelectorAll('.xtick text, .ytick text, .x2tick text, .y2tick text, [class$="tick"] > text')].filter(visible).map(e => [e, e.getBoundingClientRect()]);
    for (const legend of plot.querySelectorAll('.legend')) {
      if (!visible(legend)) continue;
      const bg = legend.querySelector('.bg') || legend;
      const l = bg.getBoundingClientRect();
      for (const [e, r] of ticks) {
        const [w, h] = overlap(l, r);
        if (w > 2 && h > 2) { out.push(['legend', label(legend).slice(0, 40), `covers the tick label ${JSON.stringify(e.textContent)}`]); break; }
      }
      // nor on a panel's title, an axis title or the chart's title (a legend wrapped onto a
      // second row ran into the activation grid's top panel titles at 1024 px)
      for (const e of plot.querySelectorAll('.annotation-text, .g-gtitle text, [class^="g-x"][class$="title"] text, [class^="g-y"][class$="title"] text')) {
        if (!visible(e) || !(e.textContent || '').trim()) continue;
        const [w, h] = overlap(l, e.getBoundingClientRect());
        if (w > 2 && h > 2) { out.push(['legend', label(legend).slice(0, 40), `covers the title ${JSON.stringify(e.textContent)} by ${w.toFixed(0)}x${h.toFixed(0)} px`]); break; }
      }
      const off = [];
      if (l.right > box.right + SLACK) off.push(`right edge ${l.right.toFixed(0)} > chart ${box.right.toFixed(0)}`);
      if (l.left < box.left - SLACK) off.push(`left edge ${l.left.toFixed(0)} < chart ${box.left.toFixed(0)}`);
      if (l.top < box.top - SLACK) off.push(`top ${l.top.toFixed(0)} < chart ${box.top.toFixed(0)}`);
      if (l.bottom > box.bottom + SLACK) off.push(`bottom ${l.bottom.toFixed(0)} > chart ${box.bottom.toFixed(0)}`);
      if (off.length) out.push(['legend', label(legend).slice(0, 40), off.join('; ')]);
    }
    // nor may a label written on the chart (an annotation)
    for (const note of plot.querySelectorAll('.annotation-text')) {
      if (!visible(note) || !(note.textContent || '').trim()) continue;
      const l = note.getBoundingClientRect();
      for (const [e, r] of ticks) {
        const [w, h] = overlap(l, r);
        if (w > 2 && h > 2) { out.push(['chart annotation', label(note).slice(0, 40), `covers the tick label ${JSON.stringify(e.textContent)}`]); break; }
      }
    }
    // nor may two labels written on the chart (annotations, text beside points) run into
    // each other ("1 x 32" on "3 x 32")
    const notes = [...plot.querySelectorAll('.annotation-text, .textpoint text')]
      .filter(e => visible(e) && (e.textContent || '').trim()).map(e => [e, e.getBoundingClientRect()]);
    collide: for (let i = 0; i < notes.length; i++) {
      for (let j = i + 1; j < notes.length; j++) {
        const [a, r] = notes[i], [b, q] = notes[j];
        const [w, h] = overlap(r, q);
        if (w > 2 && h > 2) {
          out.push(['chart label', `${label(a)} / ${label(b)}`.slice(0, 60), `the labels ${JSON.stringify(label(a))} and ${JSON.stringify(label(b))} overlap`]);
          break collide;
        }
      }
    }
    // an axis's tick labels and title stay off every other panel's plot: the right panel's
    // "class" was drawn over the left panel's points, a panel's y ticks over its neighbour's curve
    const full = plot._fullLayout;
    if (full && full._plots) {
      const areas = Object.values(full._plots)
        .filter(p => p.xaxis && p.yaxis && !p.mainplot && p.xaxis._length > 0 && p.yaxis._length > 0)
        .map(p => ({ axes: [p.xaxis._id, p.yaxis._id],
                     box: { left: box.left + p.xaxis._offset, right: box.left + p.xaxis._offset + p.xaxis._length,
                            top: box.top + p.yaxis._offset, bottom: box.top + p.yaxis._offset + p.yaxis._length } }));
      if (areas.length > 1) {
        // an axis's id from its labels' group: "x2tick" (tick labels) or "g-y2title" (title)
        const axisOf = e => {
          const group = e.closest('[class$="tick"], [class^="g-"][class$="title"]');
          const name = group && (group.getAttribute('class') || '').split(' ')[0];
          const found = name && /^(?:g-)?([xy]\d*)(?:tick|title)$/.exec(name);
          return found ? found[1] : null;
        };
        const labels = [...plot.querySelectorAll('[class$="tick"] > text, [class^="g-"][class$="title"] text')]
          .filter(e => visible(e) && (e.textContent || '').trim());
        const reported = new Set();
        for (const e of labels) {
          const axis = axisOf(e);
          if (!axis || reported.has(axis)) continue;
          const r = e.getBoundingClientRect();
          const other = areas.find(a => !a.axes.includes(axis) && (([w, h]) => w > 2 && h > 2)(overlap(r, a.box)));
          if (other) {
            const kind = e.closest('[class$="tick"]') ? 'tick label' : 'axis title';
            out.push([kind, label(e), `${axis}'s ${kind} lies over the plot of the panel ${other.axes.join('/')}`]);
            reported.add(axis);
          }
        }
      }
    }
    // a colour bar: its title off its tick labels ("share" on "0.15" when plotly put the title
    // on top of the bar), its tick labels and title inside the chart, the bar off the legend
    // and off every plot
    for (const bar of plot.querySelectorAll('.colorbar')) {
      if (!visible(bar)) continue;
      const barTicks = [...bar.querySelectorAll('.cbaxis text')].filter(e => visible(e) && (e.textContent || '').trim());
      barTicks.forEach(e => inside(e, 'colour bar tick label'));
      const title = [...bar.querySelectorAll('.cbtitle text')].find(e => visible(e) && (e.textContent || '').trim());
      if (title) {
        inside(title, 'colour bar title');
        const t = title.getBoundingClientRect();
        for (const e of barTicks) {
          const [w, h] = overlap(t, e.getBoundingClientRect());
          if (w > 1 && h > 1) { out.push(['colour bar title', label(title), `overlaps the tick label ${JSON.stringify(e.textContent)} by ${w.toFixed(0)}x${h.toFixed(0)} px`]); break; }
        }
      }
      const b = bar.getBoundingClientRect();
      for (const legend of plot.querySelectorAll('.legend')) {
        if (!visible(legend)) continue;
        const [w, h] = overlap(b, (legend.querySelector('.bg') || legend).getBoundingClientRect());
        if (w > 1 && h > 1) out.push(['colour bar', label(title || bar), `runs into the legend by ${w.toFixed(0)}x${h.toFixed(0)} px`]);
      }
      const size = full && full._size;
      if (size) {
        const area = { left: box.left + size.l, right: box.left + size.l + size.w, top: box.top + size.t, bottom: box.top + size.t + size.h };
        const [w, h] = overlap(b, area);
        if (w > 1 && h > 1) out.push(['colour bar', label(title || bar), `lies ${w.toFixed(0)} px into the plot area`]);
      }
    }
    // tick labels of neighbouring panels must not run into each other ("5-5"); labels plotly
    // turned to fit (rotated) are left out: their boxes overlap where their letters do not
    const level = ticks.filter(([e]) => !/rotate\(/.test(e.getAttribute('transform') || ''));
    for (let i = 0; i < level.length; i++) {
      for (let j = i + 1; j < level.length; j++) {
        const [a, r] = level[i], [b, q] = level[j];
        const [w, h] = overlap(r, q);
        if (w > 0.5 && h > 2) {
          out.push(['tick label', `${a.textContent} / ${b.textContent}`, `the tick labels ${JSON.stringify(a.textContent)} and ${JSON.stringify(b.textContent)} overlap`]);
          i = level.length; break;
        }
      }
    }
  }
  return out;
})
