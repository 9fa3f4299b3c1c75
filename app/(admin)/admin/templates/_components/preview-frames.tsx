"use client";

import { useEffect, useRef, useState } from "react";

const DESKTOP_WIDTH = 1280;
const PHONE_WIDTH = 390;
const PHONE_SCALE = 0.8;
/** Shown height of both frames; each is taller inside, by its scale, and scrolls. */
const HEIGHT = 640;
const GAP = 16;
/** Before the width is measured (and without JavaScript). */
const FALLBACK_SCALE = 0.4;

function Frame({ label, html, width, scale }: { label: string; html: string; width: number; scale: number }) {
  return (
    <figure className="min-w-0 shrink-0">
      <figcaption className="mb-1.5 text-xs text-muted">{label}</figcaption>
      <div className="overflow-hidden rounded-card border border-border bg-white" style={{ width: Math.floor(width * scale), height: HEIGHT }}>
        {/* sandbox="" runs no scripts, submits no forms and opens no links from the rendered email. */}
        <iframe
          title={`${label} preview`}
          sandbox=""
          srcDoc={html}
          className="block origin-top-left border-0 bg-white"
          style={{ width, height: Math.ceil(HEIGHT / scale), transform: `scale(${scale})` }}
        />
      </div>
    </figure>
  );
}

/**
 * The rendered email at a desktop width (1280 px, scaled to the space left) and at a phone's
 * 390 px, side by side; one above the other when the column is narrow.
 */
export function PreviewFrames({ subject, html }: { subject: string; html: string }) {
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState<number | null>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => setWidth(entry?.contentRect.width ?? null));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const phoneShown = PHONE_WIDTH * PHONE_SCALE;
  const sideBySide = width === null || width >= phoneShown * 2 + GAP;
  const room = width === null ? null : sideBySide ? width - phoneShown - GAP : width;
  const desktopScale = room === null ? FALLBACK_SCALE : Math.min(1, Math.max(0.2, room / DESKTOP_WIDTH));

  return (
    <div ref={box} className="space-y-3">
      <p className="text-sm">
        <span className="text-muted">Subject: </span>
        <span className="font-medium text-text">{subject}</span>
      </p>
      <div className="flex flex-wrap items-start gap-4">
        <Frame label={`Desktop, ${DESKTOP_WIDTH} px`} html={html} width={DESKTOP_WIDTH} scale={desktopScale} />
        <Frame label={`Phone, ${PHONE_WIDTH} px`} html={html} width={PHONE_WIDTH} scale={PHONE_SCALE} />
      </div>
    </div>
  );
}
