// Text under WCAG 2.1 SC 1.4.3's contrast (4.5:1; 3:1 for large text: 24px, or 18.66px bold),
// measured on the painted colours: the text's colour (or -webkit-text-fill-color, which a
// disabled field uses) over the first opaque background behind it, composited through the
// translucent ones. axe-core checks the same rule but leaves text it cannot place on one
// background as "incomplete"; this check places it by the element's ancestors, as painted.
// A disabled field's value must still reach 3:1. Returns [[text, ratio, needed, detail], ...]
// for the main area's visible text below its ratio. Text out of view is scrolled to (the painted
// stack is known in the viewport only); the view is put back where it was at the end, so a
// screenshot or check after this one sees the page as the reader left it.
() => {
  const parse = (value) => {
    const m = value.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const parts = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1 };
  };
  const over = (top, bottom) => {
    const a = top.a + bottom.a * (1 - top.a);
    if (a === 0) return { r: 0, g: 0, b: 0, a: 0 };
    const mix = (c) => (top[c] * top.a + bottom[c] * bottom.a * (1 - top.a)) / a;
    return { r: mix("r"), g: mix("g"), b: mix("b"), a };
  };
  const luminance = (c) => {
    const lin = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
  };
  // what is painted behind the element's centre: the stack of elements there, top first (text
  // placed outside its parent, as a slider's value above its thumb, is on what lies under it)
  const background = (element) => {
    const rect = element.getBoundingClientRect();
    const x = Math.min(Math.max(rect.left + rect.width / 2, 0), innerWidth - 1);
    const y = Math.min(Math.max(rect.top + rect.height / 2, 0), innerHeight - 1);
    const layers = [];
    for (const e of document.elementsFromPoint(x, y)) {
      const colour = parse(getComputedStyle(e).backgroundColor);
      if (colour && colour.a > 0) layers.push(colour);
      if (colour && colour.a >= 1) break;
    }
    let painted = { r: 255, g: 255, b: 255, a: 1 }; // the canvas under everything
    for (const layer of layers.reverse()) painted = over(layer, painted);
    return painted;
  };
  const opacity = (element) => {
    let value = 1;
    for (let e = element; e; e = e.parentElement) value *= Number(getComputedStyle(e).opacity);
    return value;
  };
  const main = document.querySelector('[data-testid="stMain"]');
  if (!main) return [];
  const scrolled = [document.scrollingElement, ...main.querySelectorAll("*"), main]
    .filter((e) => e && (e.scrollTop || e.scrollLeft))
    .map((e) => [e, e.scrollTop, e.scrollLeft]);
  const skip = "svg, canvas, .katex, [data-testid='stPlotlyChart'], [data-testid='stDataFrame'], " +
    "[aria-hidden='true'], [data-testid='stSkeleton']";
  const found = [];
  const check = (element, text) => {
    const rect = element.getBoundingClientRect();
    if (!rect.width || !rect.height || element.closest(skip)) return;
    if (rect.bottom < 0 || rect.top > innerHeight) {
      element.scrollIntoView({ block: "center" });  // elementsFromPoint sees the viewport only
    }
    const style = getComputedStyle(element);
    if (style.visibility !== "visible" || opacity(element) === 0) return;  // not shown (yet)
    const fill = style.webkitTextFillColor && style.webkitTextFillColor !== style.color
      ? style.webkitTextFillColor : style.color;
    let colour = parse(fill);
    if (!colour) return;
    const back = background(element);
    colour = over({ ...colour, a: colour.a * opacity(element) }, back);
    const [l1, l2] = [luminance(colour), luminance(back)].sort((x, y) => y - x);
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    const size = parseFloat(style.fontSize);
    const bold = Number(style.fontWeight) >= 700;
    // a disabled field's value is exempt in WCAG; here it must still show (3:1): a formula field
    // greyed out to invisibility in the Dark room read as empty
    const control = element.closest('[data-testid="stSlider"], [data-testid="stTextInput"], ' +
      '[data-testid="stNumberInput"], [data-testid="stTextArea"], [data-testid="stSelectbox"]');
    const disabled = element.disabled ||
      (control && control.querySelector(':disabled, [aria-disabled="true"]') !== null);
    const needed = size >= 24 || (bold && size >= 18.66) || disabled ? 3 : 4.5;
    if (ratio < needed) {  // WCAG's ratios are thresholds, not rounded: 4.499:1 fails 4.5:1
      found.push([text.slice(0, 40), Math.floor(ratio * 100) / 100, needed,
        `${fill} on rgb(${Math.round(back.r)},${Math.round(back.g)},${Math.round(back.b)})`]);
    }
  };
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const element = node.parentElement;
    if (!text || !element || seen.has(element)) continue;
    seen.add(element);
    check(element, text);
  }
  for (const field of main.querySelectorAll("input[type='text'], input[type='number'], textarea")) {
    if (field.value) check(field, field.value);
  }
  for (const e of [main, ...main.querySelectorAll("*"), document.scrollingElement]) {
    if (e && (e.scrollTop || e.scrollLeft)) e.scrollTo(0, 0);
  }
  for (const [e, top, left] of scrolled) e.scrollTo(left, top);
  return found;
}
