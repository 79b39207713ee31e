// The intake screen as the app mounts it (providers, shift bar, routed screen) on a fresh
// fake-indexeddb database, and a clerk's way of filling it: change events on the real controls.
import { fireEvent, render, screen, waitFor, type RenderResult } from '@testing-library/react';
import { expect } from 'vitest';
import { RepositoriesProvider } from '../../../src/app/providers';
import { useRoute } from '../../../src/app/router';
import type { CaseFacts } from '../../../src/domain';
import { IntakeScreen } from '../../../src/features/intake';
import { fieldId } from '../../../src/features/intake/fields';
import { ShiftBar } from '../../../src/features/shift';
import type { Registration } from '../../../src/shared/registration';
import { createCasesRepository, createDeviceRepository, openJiexuDb, type CasesRepository, type JiexuDb } from '../../../src/storage';
import { freshName } from '../../storage/support';
import example01Json from '../../fixtures/examples/01-deemed-basic.case.json';
import example03Json from '../../fixtures/examples/03-post-2012-no-subsidy.case.json';
import { testRegistration } from '../../support/factories';

export const example01 = example01Json as CaseFacts;
export const example03 = example03Json as CaseFacts;

export const REGISTRATION: Registration = testRegistration();

export const TODAY = '2019-09-15';

export interface TestDevice {
  dbName: string;
  /** A second connection to the same database, for checking what the screen wrote. */
  db: JiexuDb;
  cases: CasesRepository;
}

const opened: JiexuDb[] = [];

export async function freshDevice(options: { clerk?: string | null } = {}): Promise<TestDevice> {
  const dbName = freshName();
  const db = await openJiexuDb(dbName);
  opened.push(db);
  const clerk = options.clerk === undefined ? '王丽' : options.clerk;
  if (clerk !== null) await createDeviceRepository(db).setCurrentClerk(clerk);
  return { dbName, db, cases: createCasesRepository(db) };
}

export function closeDevices(): void {
  for (const db of opened.splice(0)) db.close();
}

function Routed({ today, draftDelayMs }: { today: string; draftDelayMs?: number }) {
  const route = useRoute();
  if (route.name !== 'intake') return <p>其他页面</p>;
  return <IntakeScreen caseId={route.caseId} today={today} draftDelayMs={draftDelayMs} />;
}

/** The shift bar and the routed intake screen, as the app shows them, once the form is there. */
export async function renderIntake(device: TestDevice, options: { hash?: string; today?: string; draftDelayMs?: number } = {}): Promise<RenderResult> {
  window.location.hash = options.hash ?? '#/intake';
  const view = render(
    <RepositoriesProvider dbName={device.dbName}>
      <ShiftBar />
      <Routed today={options.today ?? TODAY} draftDelayMs={options.draftDelayMs} />
    </RepositoriesProvider>,
  );
  await screen.findByRole('form');
  return view;
}

export function field(path: string): HTMLInputElement {
  const el = document.getElementById(fieldId(path));
  if (!el) throw new Error(`no field ${path} (#${fieldId(path)})`);
  return el as HTMLInputElement;
}

export function typeInto(path: string, value: string): void {
  const el = field(path);
  fireEvent.focus(el);
  fireEvent.change(el, { target: { value } });
  fireEvent.blur(el);
}

export function answer(path: string, yes: boolean): void {
  const el = document.getElementById(yes ? fieldId(path) : `${fieldId(path)}-no`);
  if (!el) throw new Error(`no yes/no question ${path}`);
  fireEvent.click(el);
}

export function choose(path: string, value: string): void {
  const el = document.querySelector<HTMLInputElement>(`input[name="${path}"][value="${value}"]`);
  if (!el) throw new Error(`no option ${value} of ${path}`);
  fireEvent.click(el);
}

export function pickCounty(code: string): void {
  const base = fieldId('facts.placement.countyCode');
  fireEvent.change(document.getElementById(`${base}-league`)!, { target: { value: `${code.slice(0, 4)}00` } });
  fireEvent.change(document.getElementById(base)!, { target: { value: code } });
}

function addPeriods(scheme: 'pension' | 'medical', periods: readonly { from: string; to: string }[]): void {
  periods.forEach((p, i) => {
    fireEvent.click(screen.getByRole('button', { name: `＋ 添加一段${scheme === 'pension' ? '养老保险' : '医疗保险'}缴费记录` }));
    typeInto(`facts.${scheme}.periods.${i}.from`, p.from);
    typeInto(`facts.${scheme}.periods.${i}.to`, p.to);
  });
}

/** Fills the whole form with a case, as a clerk would. */
export function fillCase(facts: CaseFacts, registration: Registration = REGISTRATION): void {
  typeInto('facts.person.idNumber', facts.person.idNumber);
  typeInto('registration.name', registration.name);
  typeInto('registration.phone', registration.phone);
  typeInto('registration.address', registration.address);
  if (facts.person.femaleCategory) choose('facts.person.femaleCategory', facts.person.femaleCategory);
  typeInto('facts.service.enlistment', facts.service.enlistment);
  typeInto('facts.service.discharge', facts.service.discharge);
  choose('registration.dischargeMode', registration.dischargeMode);
  answer('facts.service.militarySubsidyReceived', facts.service.militarySubsidyReceived);
  pickCounty(facts.placement.countyCode);
  typeInto('registration.unitName', registration.unitName);
  answer('facts.placement.unitExists', facts.placement.unitExists);
  if (facts.placement.unitExists) answer('facts.placement.unitCanPay', facts.placement.unitCanPay);
  typeInto('registration.superiorName', registration.superiorName);
  answer('facts.placement.superiorExists', facts.placement.superiorExists);
  if (facts.placement.superiorExists) answer('facts.placement.superiorCanPay', facts.placement.superiorCanPay);
  if (registration.confirmedBy) typeInto('registration.confirmedBy', registration.confirmedBy);
  answer('facts.pension.insuredAtEnlistment', facts.pension.insuredAtEnlistment);
  if (facts.pension.firstInsured) typeInto('facts.pension.firstInsured', facts.pension.firstInsured);
  addPeriods('pension', facts.pension.periods);
  answer('registration.medicalInsuredAtEnlistment', registration.medicalInsuredAtEnlistment);
  addPeriods('medical', facts.medical.periods);
  if (facts.assistance.dibao) fireEvent.click(field('facts.assistance.dibao'));
  if (facts.assistance.tekun) fireEvent.click(field('facts.assistance.tekun'));
  typeInto('facts.applicationDate', facts.applicationDate);
  typeInto('facts.asOf', facts.asOf);
}

export function save(): void {
  fireEvent.click(screen.getByRole('button', { name: /^保存(登记|修改)$/ }));
}

/** The error shown under a field (through its aria-describedby), or null. */
export function errorOf(path: string): string | null {
  const el = field(path);
  const ids = (el.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id.endsWith('-error'));
  const error = ids.length ? document.getElementById(ids[0]!) : null;
  return error?.textContent?.replace(/^⚠\s*/, '') ?? null;
}

export async function waitForDraftSaved(): Promise<void> {
  await waitFor(() => expect(screen.getByTestId('draft-status').dataset.state).toBe('saved'), { timeout: 3000 });
}
