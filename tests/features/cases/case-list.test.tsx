import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { CaseListScreen, isTooShortIdQuery, ROW_HEIGHT } from '../../../src/features/cases/CaseListScreen';
import { visibleRange } from '../../../src/features/cases/VirtualList';
import { closeSeeded, idNumber, people, renderWithRepos, seed } from './support';

afterEach(() => {
  cleanup();
  closeSeeded();
});

const rowNames = () => screen.queryAllByTestId('case-row').map((r) => r.querySelector('.case-row-name')?.textContent);

async function typeSearch(text: string) {
  fireEvent.change(await screen.findByRole('searchbox', { name: '查找' }), { target: { value: text } });
}

describe('the case list', () => {
  it('lists every case on the device newest first, with its case number, status and sync state', async () => {
    const s = await seed([
      { name: '张三', id: idNumber('19700315', '003') },
      { name: '李四', id: idNumber('19680720', '013') },
      { name: '王五', id: idNumber('19690101', '023') },
    ]);
    await s.repo.withdraw(s.records[1]!.id, { clerk: '王丽', reason: '本人放弃申请' });
    // A sync result, as the sync client will record it.
    await s.db.cases.update(s.records[0]!.id, { syncState: 'synced' });
    await s.db.cases.update(s.records[2]!.id, { syncState: 'conflict' });

    renderWithRepos(<CaseListScreen />, s.dbName);
    await waitFor(() => expect(rowNames()).toEqual(['王五', '李四', '张三']));
    expect(screen.getByTestId('cases-status').textContent).toBe('本机共 3 件，最新的在前');

    const rows = screen.getAllByTestId('case-row');
    expect(within(rows[0]!).getByText(s.records[2]!.caseNumber)).toBeTruthy();
    expect(within(rows[0]!).getByText('已登记')).toBeTruthy();
    expect(within(rows[0]!).getByText('同步冲突')).toBeTruthy();
    expect(within(rows[1]!).getByText('已撤回')).toBeTruthy();
    expect(within(rows[1]!).getByText('待同步')).toBeTruthy();
    expect(within(rows[2]!).getByText('已同步')).toBeTruthy();
    // The list shows the ID number masked; each row opens its case.
    const id = s.records[0]!.facts.person.idNumber;
    expect(within(rows[2]!).getByText(`150102********${id.slice(-4)}`)).toBeTruthy();
    expect(rows[2]!.textContent).not.toContain(id);
    expect(rows[2]!.getAttribute('href')).toBe(`#/cases/${s.records[0]!.id}`);
  });

  it('says so when there are no cases yet', async () => {
    const s = await seed([]);
    renderWithRepos(<CaseListScreen />, s.dbName);
    await screen.findByText('尚无受理记录');
    expect(screen.getByTestId('cases-status').textContent).toBe('本机共 0 件，最新的在前');
  });

  it('shows a case saved while the list is open, at the top', async () => {
    const s = await seed([{ name: '张三', id: idNumber('19700315', '003') }]);
    renderWithRepos(<CaseListScreen />, s.dbName);
    await waitFor(() => expect(rowNames()).toEqual(['张三']));
    await act(async () => {
      await s.repo.create({
        facts: { ...s.records[0]!.facts, person: { idNumber: idNumber('19660606', '017'), femaleCategory: null } },
        registration: { ...s.records[0]!.registration, name: '赵六' },
        clerk: '王丽',
      });
    });
    await waitFor(() => expect(rowNames()).toEqual(['赵六', '张三']));
  });

  it('follows a withdrawal made while the list is open', async () => {
    const s = await seed([{ name: '张三', id: idNumber('19700315', '003') }]);
    renderWithRepos(<CaseListScreen />, s.dbName);
    const row = await screen.findByTestId('case-row');
    expect(within(row).getByText('已登记')).toBeTruthy();
    await act(async () => {
      await s.repo.withdraw(s.records[0]!.id, { clerk: '王丽', reason: '重复登记' });
    });
    await waitFor(() => expect(within(screen.getByTestId('case-row')).getByText('已撤回')).toBeTruthy());
  });

  it('renders only the rows in view and fetches further pages as the clerk scrolls', async () => {
    const s = await seed(people(130));
    renderWithRepos(<CaseListScreen />, s.dbName);
    await waitFor(() => expect(rowNames()[0]).toBe(s.records[129]!.registration.name));
    expect(screen.getByTestId('cases-status').textContent).toBe('本机共 130 件，最新的在前');
    const rendered = screen.getAllByRole('listitem');
    expect(rendered.length).toBeLessThan(30);
    expect(rendered[0]!.getAttribute('aria-setsize')).toBe('130');

    // Scroll to row 110 (in the third page of 50): its case, the 20th registered, appears.
    const box = screen.getByTestId('virtual-list');
    Object.defineProperty(box, 'scrollTop', { configurable: true, value: 110 * ROW_HEIGHT });
    fireEvent.scroll(box);
    await waitFor(() => expect(rowNames()).toContain(s.records[129 - 110]!.registration.name));
    const item = screen.getAllByRole('listitem').find((li) => li.getAttribute('aria-posinset') === '111')!;
    expect(item.style.top).toBe(`${110 * ROW_HEIGHT}px`);
    expect(within(item).getByText(s.records[19]!.caseNumber)).toBeTruthy();
    expect(screen.getAllByRole('listitem').length).toBeLessThan(30);
  });
});

describe('search in the case list', () => {
  const PEOPLE = [
    { name: '张三', id: idNumber('19700315', '003') },
    { name: '李四', id: idNumber('19680720', '013') },
    { name: '张顺', id: idNumber('19750101', '021') },
    { name: '王五', id: idNumber('19690909', '053') },
  ];

  it('finds a case by the last digits of the ID number', async () => {
    const s = await seed(PEOPLE);
    renderWithRepos(<CaseListScreen />, s.dbName);
    await waitFor(() => expect(rowNames()).toHaveLength(4));
    await typeSearch(PEOPLE[1]!.id.slice(-6));
    await waitFor(() => expect(rowNames()).toEqual(['李四']));
    expect(screen.getByTestId('cases-status').textContent).toBe('找到 1 件');
  });

  it('finds a case by its full ID number', async () => {
    const s = await seed(PEOPLE);
    renderWithRepos(<CaseListScreen />, s.dbName);
    await typeSearch(PEOPLE[3]!.id);
    await waitFor(() => expect(rowNames()).toEqual(['王五']));
  });

  it('finds cases by name, newest first', async () => {
    const s = await seed(PEOPLE);
    renderWithRepos(<CaseListScreen />, s.dbName);
    await typeSearch('张');
    await waitFor(() => expect(rowNames()).toEqual(['张顺', '张三']));
    await typeSearch('张三');
    await waitFor(() => expect(rowNames()).toEqual(['张三']));
  });

  it('finds 张三 by the pinyin initials "zs" (and 张顺 too: zhang shun)', async () => {
    const s = await seed(PEOPLE);
    renderWithRepos(<CaseListScreen />, s.dbName);
    await typeSearch('zs');
    await waitFor(() => expect(rowNames()).toEqual(['张顺', '张三']));
    await typeSearch('ls');
    await waitFor(() => expect(rowNames()).toEqual(['李四']));
  });

  it('asks for at least four digits, keeps the whole list meanwhile, and says when nothing matches', async () => {
    const s = await seed(PEOPLE);
    renderWithRepos(<CaseListScreen />, s.dbName);
    await typeSearch(PEOPLE[0]!.id.slice(-3));
    await waitFor(() => expect(screen.getByTestId('cases-status').textContent).toBe('按身份证号码查找时，请至少输入后4位'));
    expect(rowNames()).toHaveLength(4);
    await typeSearch('赵');
    await waitFor(() => expect(screen.getByTestId('cases-status').textContent).toBe('没有找到“赵”'));
    expect(rowNames()).toEqual([]);
    // Clearing the box brings the whole list back.
    await typeSearch('');
    await waitFor(() => expect(rowNames()).toHaveLength(4));
  });

  it('treats digits with a final X like the repository does', () => {
    expect(isTooShortIdQuery('12')).toBe(true);
    expect(isTooShortIdQuery('12x')).toBe(true);
    expect(isTooShortIdQuery('005x')).toBe(false);
    expect(isTooShortIdQuery('1234')).toBe(false);
    expect(isTooShortIdQuery('zs')).toBe(false);
    expect(isTooShortIdQuery('x')).toBe(false);
  });
});

describe('the virtual list window', () => {
  it('covers the rows in view plus the overscan, clamped to the list', () => {
    expect(visibleRange(0, 720, 84, 100_000, 6)).toEqual({ start: 0, end: 15 });
    expect(visibleRange(84 * 50_000, 720, 84, 100_000, 6)).toEqual({ start: 49_994, end: 50_015 });
    expect(visibleRange(84 * 99_995, 720, 84, 100_000, 6)).toEqual({ start: 99_989, end: 100_000 });
    expect(visibleRange(0, 720, 84, 0, 6)).toEqual({ start: 0, end: 0 });
  });
});
