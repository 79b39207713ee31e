// A QR code drawn on the tablet (uqr's SVG output): no network, no image file.
import { useMemo } from 'react';
import { renderSVG } from 'uqr';

/** The SVG markup of a QR code of `text` (error correction M: survives a smudged printout). */
export function qrSvg(text: string): string {
  return renderSVG(text, { ecc: 'M', border: 2, pixelSize: 4 });
}

export function QrCode({ text, label, className }: { text: string; label: string; className?: string }) {
  const svg = useMemo(() => qrSvg(text), [text]);
  // The markup comes from uqr and encodes our own id: it holds no user-supplied text.
  return <span className={className ?? 'qr'} role="img" aria-label={label} data-qr-text={text} dangerouslySetInnerHTML={{ __html: svg }} />;
}
