import type { EventName, EventPayload } from '../common/api/contract';

export type EventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/** Broadcasts main-process events (job progress) to every connected window or browser tab. */
export class EventHub {
  private readonly listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of this.listeners) listener(event, payload);
  }
}
