import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createUnsavedInputRegistry,
  guardPageCloseWhileDirty,
  useHasUnsavedInput,
  useUnsavedInput,
  type UnsavedInputRegistry,
} from '../../src/app/unsaved-input';

afterEach(cleanup);

function Form({ dirty, registry }: { dirty: boolean; registry: UnsavedInputRegistry }) {
  useUnsavedInput(dirty, registry);
  return null;
}

function Indicator({ registry }: { registry: UnsavedInputRegistry }) {
  return <p>{useHasUnsavedInput(registry) ? 'dirty' : 'clean'}</p>;
}

describe('the unsaved-input registry', () => {
  it('is dirty while any owner is dirty, and clean once each is clean or released', () => {
    const registry = createUnsavedInputRegistry();
    const a = {};
    const b = {};
    expect(registry.hasUnsavedInput()).toBe(false);
    registry.set(a, true);
    registry.set(b, true);
    registry.set(a, false);
    expect(registry.hasUnsavedInput()).toBe(true);
    registry.release(b);
    expect(registry.hasUnsavedInput()).toBe(false);
  });

  it('notifies subscribers only when an owner changes, and not after unsubscribing', () => {
    const registry = createUnsavedInputRegistry();
    const listener = vi.fn();
    const unsubscribe = registry.subscribe(listener);
    const owner = {};
    registry.set(owner, true);
    registry.set(owner, true);
    expect(listener).toHaveBeenCalledTimes(1);
    registry.release(owner);
    registry.release(owner);
    expect(listener).toHaveBeenCalledTimes(2);
    unsubscribe();
    registry.set(owner, true);
    expect(listener).toHaveBeenCalledTimes(2);
  });

  it('tracks forms through useUnsavedInput, and forgets a dirty form when it unmounts', () => {
    const registry = createUnsavedInputRegistry();
    const view = render(
      <>
        <Form dirty={false} registry={registry} />
        <Indicator registry={registry} />
      </>,
    );
    expect(screen.getByText('clean')).toBeTruthy();
    view.rerender(
      <>
        <Form dirty={true} registry={registry} />
        <Form dirty={false} registry={registry} />
        <Indicator registry={registry} />
      </>,
    );
    expect(screen.getByText('dirty')).toBeTruthy();
    view.rerender(<Indicator registry={registry} />);
    expect(screen.getByText('clean')).toBeTruthy();
    expect(registry.hasUnsavedInput()).toBe(false);
  });

  it('makes the browser ask before closing the page only while input is unsaved', () => {
    const registry = createUnsavedInputRegistry();
    const stop = guardPageCloseWhileDirty(registry, window);
    const close = () => {
      const event = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(event);
      return event.defaultPrevented;
    };
    expect(close()).toBe(false);
    const owner = {};
    act(() => registry.set(owner, true));
    expect(close()).toBe(true);
    act(() => registry.set(owner, false));
    expect(close()).toBe(false);
    registry.set(owner, true);
    stop();
    expect(close()).toBe(false);
  });
});
