import type { EventName, EventPayload } from '../common/api/contract';

/** One event with its payload; a union, so a listener that checks the name gets the payload's type. */
export type EventArgs = { [E in EventName]: [event: E, payload: EventPayload<E>] }[EventName];
export type EventListener = (...args: EventArgs) => void;

/** Broadcasts main-process events (job progress) to every connected window or browser tab. */
export class EventHub {
  private readonly listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of this.listeners) (listener as (event: E, payload: EventPayload<E>) => void)(event, payload);
  }
}
