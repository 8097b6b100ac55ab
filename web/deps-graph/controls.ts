import { NODE_KINDS } from '#domain/dependencies/graph-model.ts';

const html = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] => {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  if (text !== undefined) element.textContent = text;
  return element;
};

const labelled = (text: string, control: HTMLElement): HTMLLabelElement => {
  const label = html('label', {}, `${text} `);
  label.append(control);
  return label;
};

const checkboxes = (legend: string, name: string, values: readonly string[]): HTMLFieldSetElement => {
  const set = html('fieldset', { class: name });
  set.append(html('legend', {}, legend));
  for (const value of values) {
    const box = html('input', { type: 'checkbox', name, value });
    box.checked = true;
    const label = html('label');
    label.append(box, ` ${value}`);
    set.append(label);
  }
  return set;
};

export interface Controls {
  toolbar: HTMLElement;
  focus: HTMLInputElement;
  depth: HTMLInputElement;
  search: HTMLInputElement;
  wholeGraph: HTMLButtonElement;
  impactOfFocus: HTMLButtonElement;
  clearImpact: HTMLButtonElement;
  zoomIn: HTMLButtonElement;
  zoomOut: HTMLButtonElement;
  kinds: HTMLFieldSetElement;
  teams: HTMLFieldSetElement;
}

/**
 * The toolbar: focus (a node id; the list offers every id of graphs small enough), depth, search,
 * impact, zoom, and a checkbox per node kind and per team.
 */
export const buildControls = (ids: readonly string[], teams: readonly string[]): Controls => {
  const toolbar = html('form', { class: 'toolbar', autocomplete: 'off' });
  toolbar.addEventListener('submit', (event) => {
    event.preventDefault();
  });
  const focus = html('input', { type: 'text', name: 'focus', placeholder: 'kind:name, or click a node' });
  if (ids.length <= 5000) {
    const list = html('datalist', { id: 'convoy-graph-ids' });
    for (const id of ids) list.append(html('option', { value: id }));
    focus.setAttribute('list', list.id);
    toolbar.append(list);
  }
  const depth = html('input', { type: 'number', name: 'depth', min: '0', max: '10', value: '2' });
  const search = html('input', { type: 'search', name: 'search', placeholder: 'find a node' });
  const button = (name: string, text: string) => html('button', { type: 'button', name }, text);
  const controls: Controls = {
    toolbar,
    focus,
    depth,
    search,
    wholeGraph: button('whole-graph', 'Whole graph'),
    impactOfFocus: button('impact-of-focus', 'Impact of focus'),
    clearImpact: button('clear-impact', 'Clear impact'),
    zoomIn: button('zoom-in', '+'),
    zoomOut: button('zoom-out', '−'),
    kinds: checkboxes('Kinds', 'kind', NODE_KINDS),
    teams: checkboxes('Teams', 'team', teams),
  };
  toolbar.append(
    labelled('Focus', focus),
    labelled('Depth', depth),
    controls.wholeGraph,
    labelled('Search', search),
    controls.impactOfFocus,
    controls.clearImpact,
    controls.zoomOut,
    controls.zoomIn,
    controls.kinds,
    controls.teams,
  );
  return controls;
};

/** The values of the checked boxes in a fieldset. */
export const checked = (set: HTMLFieldSetElement): Set<string> =>
  new Set(Array.from(set.querySelectorAll<HTMLInputElement>('input:checked'), (box) => box.value));
