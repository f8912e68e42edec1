/**
 * @file The layer palette: every layer of the registry by category, with search over names,
 * types and descriptions. Drag an entry onto the canvas, or double-click it to add it in the
 * middle of the view.
 */
import { memo, useMemo, useState, type CSSProperties, type DragEvent } from 'react';
import { useReactFlow } from '@xyflow/react';
import { LAYER_CATEGORIES, layers, type Layer } from '../../core/layers';
import { addLayer } from '../canvas/editorActions';
import { CATEGORY_ACCENT, CATEGORY_TITLE } from '../canvas/layerLook';
import { LAYER_DRAG_TYPE } from '../canvas/NetworkCanvas';

const matches = (layer: Layer, query: string): boolean => {
  const q = query.trim().toLowerCase();
  return !q || [layer.type, layer.ui.label, layer.ui.category, layer.ui.doc].some((text) => text.toLowerCase().includes(q));
};

function PaletteView() {
  const [query, setQuery] = useState('');
  const flow = useReactFlow();
  const sections = useMemo(
    () => LAYER_CATEGORIES.map((category) => ({ category, items: layers.filter((l) => l.ui.category === category && matches(l, query)) })).filter((s) => s.items.length > 0),
    [query],
  );

  const onDragStart = (event: DragEvent, layerType: string): void => {
    event.dataTransfer.setData(LAYER_DRAG_TYPE, layerType);
    event.dataTransfer.effectAllowed = 'copy';
  };
  const addInView = (layerType: string): void => {
    const canvas = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect();
    const center = canvas ? flow.screenToFlowPosition({ x: canvas.left + canvas.width / 2, y: canvas.top + canvas.height / 2 }) : { x: 0, y: 0 };
    addLayer(layerType, { x: center.x - 90, y: center.y - 40 });
  };

  return (
    <aside className="palette" aria-label="Layers" data-testid="palette">
      <input className="input palette__search" type="search" placeholder="Search layers" value={query} onChange={(e) => setQuery(e.target.value)} data-testid="palette-search" aria-label="Search layers" />
      <div className="palette__list">
        {sections.map(({ category, items }) => (
          <section key={category} className="palette__section">
            <h3 className="palette__category">{CATEGORY_TITLE[category]}</h3>
            {items.map((layer) => (
              <div
                key={layer.type}
                className="palette__item"
                draggable
                onDragStart={(e) => onDragStart(e, layer.type)}
                onDoubleClick={() => addInView(layer.type)}
                title={`${layer.ui.doc}\nDrag onto the canvas, or double-click to add.`}
                style={{ '--layer-accent': CATEGORY_ACCENT[category] } as CSSProperties}
                data-testid={`palette-${layer.type}`}
              >
                <span className="palette__dot" aria-hidden="true" />
                {layer.ui.label}
              </div>
            ))}
          </section>
        ))}
        {sections.length === 0 && <p className="muted palette__empty">No layer matches “{query}”.</p>}
      </div>
    </aside>
  );
}

export const Palette = memo(PaletteView);
