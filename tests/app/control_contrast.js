// WCAG 2.1 SC 1.4.11 (non-text contrast, AA): what identifies a control and its state has at
// least 3:1 against the colours next to it (see browser_checks.faint_controls). axe-core does not
// check this. For each visible, enabled control of the app, in the main area and the sidebar:
//   text, number and select fields, multiselects: their border (or fill) against the page;
//   radio circles and checkboxes: their border (or fill) against the page;
//   toggles: the track against the page, and the knob against the track;
//   sliders: the rail against the page (its border or outline, else its unfilled colour);
//   buttons, pills and segmented controls: their border (or fill) against the page;
//   icon-only buttons and links (the chart toolbar, a heading's link): the icon, hidden or not.
// A boundary counts when its width is at least 1 px. Translucent colours are composited over
// the background behind the control. Returns [[kind, label, detail], ...] for each control under
// 3:1.
(() => {
  const MIN = 3;
  const out = [];
  /* colour_math.js */
  const visible = e => {
    const s = getComputedStyle(e);
    if (s.display === 'none' || s.visibility === 'hidden' || Number(s.opacity) === 0) return false;
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0
        && e.closest('[hidden], details:not([open]) > :not(summary), [role="tabpanel"][hidden]') === null;
  };
  const text = e => (e.innerText || e.getAttribute('aria-label') || '').replace(/\s+/g, ' ').trim().slice(0, 50);
  const labelOf = e => {
    const container = e.closest('[data-testid="stElementContainer"]');
    const label = container && container.querySelector('[data-testid="stWidgetLabel"]');
    const option = e.closest('[data-testid="stRadioOption"]');
    const name = (label && text(label)) || text(e);
    return option ? `${name}: ${text(option)}` : name;
  };
  // the best of: the border against the outside, the fill against the outside
  const boundary = (e, outside, withFill = true) => {
    const s = getComputedStyle(e);
    const results = [];
    const fill = parse(s.backgroundColor);
    if (withFill && fill && fill[3] > 0) results.push(['fill', ratio(over(fill, outside), outside)]);
    for (const side of ['Top', 'Right', 'Bottom', 'Left']) {
      const width = parseFloat(s[`border${side}Width`]);
      const colour = parse(s[`border${side}Color`]);
      if (width >= 1 && s[`border${side}Style`] !== 'none' && colour) {
        results.push([`border-${side.toLowerCase()}`, ratio(over(colour, outside), outside)]);
      }
    }
    const ow = parseFloat(s.outlineWidth);
    const oc = parse(s.outlineColor);
    if (ow >= 1 && s.outlineStyle !== 'none' && oc) results.push(['outline', ratio(over(oc, outside), outside)]);
    // a ring drawn as a box shadow: "rgb(...) 0px 0px 0px 1px [inset]" (spread >= 1 px)
    for (const ring of s.boxShadow.matchAll(/(rgba?\([^)]+\))\s+(-?[\d.]+)px\s+(-?[\d.]+)px\s+([\d.]+)px\s+([\d.]+)px/g)) {
      if (parseFloat(ring[5]) >= 1) results.push(['ring', ratio(over(parse(ring[1]), outside), outside)]);
    }
    results.sort((a, b) => b[1] - a[1]);
    return results[0] || ['nothing', 1];
  };
  const report = (kind, e, what, value) => {
    if (value < MIN) out.push([kind, labelOf(e), `${what} ${value.toFixed(2)}:1 < ${MIN}:1`]);
  };
  // an inactive control is exempt (SC 1.4.11): its own element or its widget is disabled
  const disabled = e => {
    if (e.closest('[disabled], [aria-disabled="true"]')) return true;
    const widget = e.closest('[data-testid="stElementContainer"]') || e;
    return !!widget.querySelector('input:disabled, button:disabled, [aria-disabled="true"]')
        && !widget.querySelector('input:enabled, button:enabled:not([data-testid="stTooltipIcon"] *)');
  };
  const app = document.querySelector('[data-testid="stApp"]');
  const each = (selector, fn) => {
    for (const e of app.querySelectorAll(selector)) if (visible(e) && !disabled(e)) fn(e);
  };

  // fields: the box around the text (text, number, select, multiselect, text area)
  each('[data-testid="stTextInputRootElement"], [data-testid="stNumberInputContainer"], '
     + '[data-testid="stTextAreaRootElement"], [data-testid="stSelectbox"] [role="group"], '
     + '[data-testid="stMultiSelect"] [role="group"]', e => {
    const [what, value] = boundary(e, behind(e));
    report('field', e, what, value);
  });
  // radio circles and checkboxes: the mark before each option's text
  each('[data-testid="stRadioOption"] > span + div > div:first-child, '
     + 'label:has(input[type="checkbox"]:not([role="switch"])) > span + div', e => {
    if (e.getBoundingClientRect().width > 40) return;  // not a mark
    const [what, value] = boundary(e, behind(e));
    report(e.closest('[data-testid="stRadioOption"]') ? 'radio' : 'checkbox', e, what, value);
  });
  // toggles: the track against the page, the knob against the track
  each('label:has(input[role="switch"]) > span + div', e => {
    const outside = behind(e);
    const [what, value] = boundary(e, outside);
    report('toggle', e, `track ${what}`, value);
    const knob = e.firstElementChild;
    const track = parse(getComputedStyle(e).backgroundColor);
    const fill = knob && parse(getComputedStyle(knob).backgroundColor);
    if (fill && track) report('toggle', e, 'knob against track', ratio(over(fill, over(track, outside)), over(track, outside)));
  });
  // sliders: the rail (the element before each thumb's box)
  each('[data-testid="stSlider"] div:has(+ div input[type="range"])', e => {
    const outside = behind(e);
    const [what, value] = boundary(e, outside, false);
    // the rail is its gradient's stops over its own fill: its faintest colour counts
    const own = parse(getComputedStyle(e).backgroundColor);
    const base = own && own[3] > 0 ? over(own, outside) : outside;
    const stops = (getComputedStyle(e).backgroundImage.match(/rgba?\([^)]+\)/g) || []).map(parse);
    const colours = stops.length ? stops.map(c => over(c, base)) : [base];
    const faintest = Math.min(...colours.map(c => ratio(c, outside)));
    report('slider', e, value >= faintest ? `rail ${what}` : 'rail colour', Math.max(value, faintest));
  });
  // buttons, pills and segmented controls
  each('button[data-testid^="stBaseButton"]', e => {
    if (e.closest('[data-testid="stToolbar"], [data-testid="stSidebarCollapseButton"], '
                + '[data-testid="stExpandSidebarButton"], [data-testid="stHeader"]')) return;
    const kind = e.getAttribute('data-testid').replace('stBaseButton-', '');
    if (kind.includes('borderless') || kind.includes('minimal') || kind === 'tertiary'
        || kind.includes('header') || kind.includes('Link')) return;  // text-only buttons
    const [what, value] = boundary(e, behind(e));
    report(`button (${kind})`, e, what, value);
  });
  // icon-only buttons and links (the chart toolbar's, a heading's link): the icon's paint (a
  // path's fill, else its stroke) against what is behind it. They show on hover or focus, so
  // they are checked hidden too, in the colours they show in.
  for (const e of app.querySelectorAll('button:has(svg), a:has(svg)')) {
    if ((e.innerText || '').trim() || disabled(e)) continue;
    if (e.closest('[hidden], details:not([open]) > :not(summary), [role="tabpanel"][hidden]')) continue;
    const icon = e.querySelector('svg');
    const box = icon.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || getComputedStyle(icon).visibility === 'hidden') continue;
    let paint = null;
    for (const shape of [...icon.querySelectorAll('path, circle, rect, line, polyline, polygon'), icon]) {
      const s = getComputedStyle(shape);
      const fill = s.fill !== 'none' && parse(s.fill), stroke = s.stroke !== 'none' && parse(s.stroke);
      paint = (fill && fill[3] > 0 && fill) || (stroke && stroke[3] > 0 && stroke) || null;
      if (paint) break;
    }
    if (!paint) continue;
    const outside = behind(icon);
    const name = e.getAttribute('aria-label') || e.getAttribute('data-title') || 'icon';
    if (ratio(over(paint, outside), outside) < MIN) {
      out.push(['icon', name, `icon ${ratio(over(paint, outside), outside).toFixed(2)}:1 < ${MIN}:1`]);
    }
  }
  return out;
})()
