// The focused element and its visible focus ring (see browser_checks.focused).
(() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const s = getComputedStyle(e);
  const r = e.getBoundingClientRect();
  // the ring may be drawn on the focused element or on a wrapper (BaseWeb styles the wrapper)
  let ring = null;
  for (let a = e, i = 0; a && i < 4; a = a.parentElement, i++) {
    const t = getComputedStyle(a);
    const outline = t.outlineStyle !== 'none' && parseFloat(t.outlineWidth) >= 2;
    const shadow = t.boxShadow && t.boxShadow !== 'none';
    if (outline || shadow) { ring = {outline: `${t.outlineWidth} ${t.outlineStyle} ${t.outlineColor}`, shadow: t.boxShadow, tag: a.tagName}; break; }
  }
  return {tag: e.tagName, role: e.getAttribute('role'), label: e.getAttribute('aria-label') || (e.innerText || '').slice(0, 40), width: r.width, height: r.height, ring};
})
