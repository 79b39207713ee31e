// The print screens (申请表 and 回执) load on demand: the QR encoder, the print stylesheet and the
// form layouts are not part of the first screen's JavaScript. The service worker precaches the
// chunk with the rest of the build, so it opens offline.
import { lazy, Suspense } from 'react';
import type { PrintKind } from '../../app/router';

const PrintDocument = lazy(() => import('./PrintDocument'));

export function PrintScreen({ caseId, kind }: { caseId: string; kind: PrintKind }) {
  return (
    <Suspense
      fallback={
        <p className="opening" role="status">
          正在准备打印页…
        </p>
      }
    >
      <PrintDocument caseId={caseId} kind={kind} />
    </Suspense>
  );
}
