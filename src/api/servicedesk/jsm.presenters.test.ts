import { describe, expect, it } from 'vitest';
import { friendlyDate, presentDate } from './jsm.presenters.ts';

const INTL = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

describe('dates as Jira Service Management writes them', () => {
  it('writes the friendly date exactly as Intl en-GB medium/short in UTC does, for any date', () => {
    const samples = [
      new Date('2026-11-05T09:03:00Z'),
      new Date('2026-09-29T21:59:59.999Z'),
      new Date('2024-02-29T00:00:00Z'),
      new Date('1999-12-31T23:59:00Z'),
    ];
    // Plus a date in every month and hour over a few years, at random minutes.
    for (let i = 0; i < 2000; i++)
      samples.push(new Date(Date.UTC(2020, 0, 1) + Math.random() * 8 * 365 * 864e5));
    for (const date of samples) expect(friendlyDate(date), date.toISOString()).toBe(INTL.format(date));
  });

  it('writes iso8601 without milliseconds and jira with them, both at +0000', () => {
    expect(presentDate(new Date('2026-11-05T09:03:07.042Z'))).toEqual({
      iso8601: '2026-11-05T09:03:07+0000',
      jira: '2026-11-05T09:03:07.042+0000',
      friendly: '5 Nov 2026, 09:03',
      epochMillis: Date.parse('2026-11-05T09:03:07.042Z'),
    });
  });
});
