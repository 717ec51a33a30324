// The marks that show a choice, as painted: each radio circle, checkbox and toggle track of the
// app (main area and sidebar). For each: [kind, label, chosen, disabled, ring, fill, inner]:
//   ring: the contrast of its boundary (a border or a box-shadow ring of at least 1 px; for a
//         toggle's track without one, its fill) against the colour behind it;
//   fill: the contrast of its fill (composited over that colour; for an unchosen circle or box,
//         also of a disc inside it) against that colour: near 1 when the mark is drawn in the
//         page's colours, high for a lit disc on a dark page;
//   inner: the contrast of what sits inside it (a chosen radio's dot, a toggle's knob, a
//          checkbox's tick) against its fill, or null where nothing shows.
(() => {
  /* colour_math.js */
  const ringOf = (e, outside) => {
    const s = getComputedStyle(e);
    const found = [];
    for (const side of ['Top', 'Right', 'Bottom', 'Left']) {
      const colour = parse(s[`border${side}Color`]);
      if (parseFloat(s[`border${side}Width`]) >= 1 && s[`border${side}Style`] !== 'none' && colour) {
        found.push(ratio(over(colour, outside), outside));
      }
    }
    for (const ring of s.boxShadow.matchAll(/(rgba?\([^)]+\))\s+(-?[\d.]+)px\s+(-?[\d.]+)px\s+([\d.]+)px\s+([\d.]+)px/g)) {
      if (parseFloat(ring[5]) >= 1) found.push(ratio(over(parse(ring[1]), outside), outside));
    }
    return found.length ? Math.min(...found) : null;
  };
  const name = e => (e.innerText || '').replace(/\s+/g, ' ').trim().slice(0, 40);
  const out = [];
  const measure = (kind, label, input, mark, inner) => {
    const r = mark.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return;
    const outside = behind(mark);
    const fill = parse(getComputedStyle(mark).backgroundColor) || [0, 0, 0, 0];
    const painted = over(fill, outside);
    let ring = ringOf(mark, outside);
    if (ring === null && kind === 'toggle') ring = ratio(painted, outside);
    let innerRatio = null;
    let lit = ratio(painted, outside);
    if (inner) {
      const box = inner.getBoundingClientRect();
      // a tick is an <svg> whose polyline is stroked; a dot or a knob is a filled box
      const line = inner.tagName.toLowerCase() === 'svg' ? inner.firstElementChild : null;
      const colour = line ? parse(getComputedStyle(line).stroke)
        : parse(getComputedStyle(inner).backgroundColor);
      if (box.width > 0 && colour && colour[3] > 0) {
        innerRatio = ratio(over(colour, painted), painted);
        // an unchosen circle can be a ring of its own fill around a disc: the disc counts too
        if (!input.checked && kind !== 'toggle') lit = Math.max(lit, ratio(over(colour, painted), outside));
      }
    }
    out.push([kind, label, input.checked, input.disabled, ring, lit, innerRatio]);
  };
  for (const option of document.querySelectorAll('[data-testid="stRadioOption"]')) {
    const mark = option.querySelector(':scope > span + div > div:first-child');
    measure('radio', name(option), option.querySelector('input'), mark, mark.firstElementChild);
  }
  for (const input of document.querySelectorAll('input[type="checkbox"]')) {
    const label = input.closest('label');
    const mark = label && label.querySelector(':scope > span + div');
    if (!mark) continue;
    const kind = input.getAttribute('role') === 'switch' ? 'toggle' : 'checkbox';
    const inner = kind === 'toggle' ? mark.firstElementChild : mark.querySelector('svg');
    measure(kind, name(label), input, mark, inner);
  }
  return out;
})()
