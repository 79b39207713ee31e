import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UpdateBanner, UNSAVED_NOTE } from '../../src/app/UpdateBanner';
import { connectWorkbox, createServiceWorkerUpdater, type ServiceWorkerUpdater } from '../../src/app/sw-registration';
import { unsavedInput, useUnsavedInput } from '../../src/app/unsaved-input';

afterEach(cleanup);

function setup(initiallyControlled = true) {
  const skipWaiting = vi.fn();
  const reload = vi.fn();
  const updater = createServiceWorkerUpdater({ skipWaiting, reload, initiallyControlled });
  return { updater, skipWaiting, reload };
}

function DirtyForm({ dirty }: { dirty: boolean }) {
  useUnsavedInput(dirty);
  return null;
}

function Page({ updater, dirty = false }: { updater: ServiceWorkerUpdater; dirty?: boolean }) {
  return (
    <>
      <UpdateBanner updater={updater} />
      <DirtyForm dirty={dirty} />
    </>
  );
}

const updateButton = () => screen.getByRole<HTMLButtonElement>('button', { name: '更新' });

describe('the update banner', () => {
  it('shows nothing while the running version is current', () => {
    const { updater } = setup();
    render(<Page updater={updater} />);
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('offers 更新 when a new version is reported waiting, and sends SKIP_WAITING when pressed', () => {
    const { updater, skipWaiting, reload } = setup();
    render(<Page updater={updater} />);
    act(() => updater.reportWaiting());
    expect(updateButton().disabled).toBe(false);

    fireEvent.click(updateButton());
    expect(skipWaiting).toHaveBeenCalledTimes(1);
    const pending = screen.getByRole<HTMLButtonElement>('button', { name: '正在更新…' });
    expect(pending.disabled).toBe(true);
    expect(reload).not.toHaveBeenCalled();

    // The page reloads only once the new version controls it.
    act(() => updater.reportControllerChange());
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('disables 更新 with a note while a form holds unsaved input, and enables it once saved', () => {
    const { updater, skipWaiting } = setup();
    const view = render(<Page updater={updater} dirty={true} />);
    act(() => updater.reportWaiting());
    expect(updateButton().disabled).toBe(true);
    expect(screen.getByText(UNSAVED_NOTE)).toBeTruthy();
    expect(updateButton().getAttribute('aria-describedby')).toBe(screen.getByText(UNSAVED_NOTE).id);

    fireEvent.click(updateButton());
    expect(updater.applyUpdate()).toBe(false);
    expect(skipWaiting).not.toHaveBeenCalled();

    view.rerender(<Page updater={updater} dirty={false} />);
    expect(updateButton().disabled).toBe(false);
    expect(screen.queryByText(UNSAVED_NOTE)).toBeNull();
  });

  it('never reloads on its own when the new version takes control from another window', () => {
    const { updater, reload } = setup();
    const view = render(<Page updater={updater} dirty={true} />);
    act(() => updater.reportWaiting());
    act(() => updater.reportControllerChange());
    expect(reload).not.toHaveBeenCalled();
    const again = screen.getByRole<HTMLButtonElement>('button', { name: '重新载入' });
    expect(again.disabled).toBe(true);
    expect(updater.reloadNow()).toBe(false);

    view.rerender(<Page updater={updater} dirty={false} />);
    fireEvent.click(screen.getByRole('button', { name: '重新载入' }));
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('does not reload if a form became dirty between 更新 and the new version taking control', () => {
    const { updater, reload } = setup();
    const view = render(<Page updater={updater} />);
    act(() => updater.reportWaiting());
    fireEvent.click(updateButton());
    view.rerender(<Page updater={updater} dirty={true} />);
    act(() => updater.reportControllerChange());
    expect(reload).not.toHaveBeenCalled();
    expect(screen.getByRole<HTMLButtonElement>('button', { name: '重新载入' }).disabled).toBe(true);
  });

  it('does not reload when the first version takes control of a page that had none', () => {
    const { updater, reload } = setup(false);
    render(<Page updater={updater} />);
    expect(updater.getState().status).toBe('registering');
    act(() => updater.reportControllerChange());
    expect(reload).not.toHaveBeenCalled();
    expect(updater.getState().status).toBe('ready');
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('warns when offline use could not be set up', () => {
    const { updater } = setup(false);
    render(<Page updater={updater} />);
    act(() => updater.reportError(new Error('SecurityError: insecure origin')));
    expect(screen.getByText(/离线功能未能启用/)).toBeTruthy();
    // The technical detail is there for the county technician, folded away under 技术信息.
    expect(screen.getByText('技术信息')).toBeTruthy();
    expect(screen.getByText('SecurityError: insecure origin')).toBeTruthy();
  });

  it('leaves no form registered between tests', () => {
    expect(unsavedInput.hasUnsavedInput()).toBe(false);
  });
});

describe('the workbox-window connection', () => {
  type Listener = (event: object) => void;
  function fakeWorkbox(register: () => Promise<ServiceWorkerRegistration | undefined>) {
    const listeners = new Map<string, Listener[]>();
    return {
      addEventListener: (type: string, listener: Listener) => listeners.set(type, [...(listeners.get(type) ?? []), listener]),
      register,
      emit: (type: string, event: object = {}) => (listeners.get(type) ?? []).forEach((l) => l(event)),
    };
  }

  it('reports a waiting worker and a controller change from the Workbox events', async () => {
    const { updater, reload } = setup();
    const wb = fakeWorkbox(() => Promise.resolve(undefined));
    await connectWorkbox(wb as never, updater);
    wb.emit('waiting', { isUpdate: true });
    expect(updater.getState().status).toBe('update-waiting');
    expect(updater.applyUpdate()).toBe(true);
    wb.emit('controlling', { isUpdate: true });
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('reports a failed registration as an error', async () => {
    const { updater } = setup(false);
    const wb = fakeWorkbox(() => Promise.reject(new Error('sw.js answered 404')));
    await connectWorkbox(wb as never, updater);
    expect(updater.getState()).toEqual({ status: 'error', error: 'sw.js answered 404' });
  });
});
