import { useEffect, useState } from 'preact/hooks';
import type { FreezeOccurrence, FreezeOccurrencesResponse } from '#api/freezes.ts';
import { get } from '../api.ts';
import {
  browserZone,
  clock,
  daysOf,
  fractionOf,
  isoDate,
  occurrenceText,
  overlaps,
  periodTitle,
  shift,
  weekdayLabel,
  zoneOptions,
  type CalendarMode,
  type Day,
} from '../calendar-time.ts';
import { Loading, ProblemBox, Section } from '../components.tsx';
import { useReady } from '../ready.ts';
import { route } from '../state.ts';
import { useLoad } from '../use-api.ts';
import { CompliancePanel, PendingOverrides } from './calendar-panels.tsx';

/** The API's clock minus this machine's (GET /health answers `now`; the embedded runtime may pin it). */
const readClockOffset = async (): Promise<number> => {
  const sent = Date.now();
  const answer = await get<{ now?: string }>('/health');
  const server = answer.now === undefined ? Number.NaN : Date.parse(answer.now);
  return Number.isFinite(server) ? server - Math.round((sent + Date.now()) / 2) : 0;
};

/** The period a view shows, as the `from/to` key of its occurrences. */
const rangeOf = (days: Day[]): string | null => {
  const [from, to] = [days[0]?.start, days.at(-1)?.end];
  return from === undefined || to === undefined
    ? null
    : `${new Date(from).toISOString()}/${new Date(to).toISOString()}`;
};

const loadOccurrences = (range: string): Promise<FreezeOccurrencesResponse> => {
  const [from = '', to = ''] = range.split('/');
  return get<FreezeOccurrencesResponse>(`/freezes/occurrences?from=${from}&to=${to}`);
};

/**
 * Opened on the calendar: read the clock, then this month's occurrences, while the catalog loads (the
 * first paint waits for them). The view takes these answers when it asks for the same things.
 */
let early: Promise<number> | undefined;
let earlyOccurrences: { range: string; answer: Promise<FreezeOccurrencesResponse> } | undefined;
if (route.value[0] === 'calendar') {
  early = readClockOffset();
  early.then(
    (offset) => {
      const range = rangeOf(daysOf('month', Date.now() + offset, browserZone));
      if (range !== null) {
        earlyOccurrences = { range, answer: loadOccurrences(range) };
        earlyOccurrences.answer.catch(() => undefined);
      }
    },
    () => undefined,
  );
}

/**
 * "Now" by the API's clock, kept moving with this machine's clock; re-rendered every minute so that the
 * now line moves.
 */
const useServerNow = (): { now: number | undefined; error: ReturnType<typeof useLoad>['error'] } => {
  const health = useLoad(
    'calendar-clock',
    () => {
      const first = early;
      early = undefined;
      return first ?? readClockOffset();
    },
    undefined,
    false,
  );
  // A new tick re-renders: `now` below is read again.
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => {
      setTick((t) => t + 1);
    }, 60_000);
    return () => {
      clearInterval(timer);
    };
  }, []);
  return { now: health.data === undefined ? undefined : Date.now() + health.data, error: health.error };
};

const Legend = () => (
  <ul class="legend" aria-label="Legend">
    <li>
      <span class="swatch hard" aria-hidden="true" /> <strong>hard</strong>: only an emergency override passes
      (two approvals by default)
    </li>
    <li>
      <span class="swatch soft" aria-hidden="true" /> <strong>soft</strong>: an approved override passes (one
      approval by default)
    </li>
    <li>
      <span class="swatch now" aria-hidden="true" /> <strong>now</strong>: the red line in the week view, by
      Convoy's clock
    </li>
  </ul>
);

interface ChipProps {
  o: FreezeOccurrence;
  day: Day;
  zone: string;
  onShow: (o: FreezeOccurrence) => void;
}

/** One occurrence on one day: its level in words (not only in colour), its zones and times on hover/focus. */
const Chip = ({ o, day, zone, onShow }: ChipProps) => {
  const start = Date.parse(o.start);
  const begins = start >= day.start;
  return (
    <button
      type="button"
      class={`occ ${o.level}`}
      data-window={o.id}
      title={occurrenceText(o, zone)}
      onFocus={() => {
        onShow(o);
      }}
      onMouseEnter={() => {
        onShow(o);
      }}
      onClick={() => {
        onShow(o);
      }}
    >
      <span class="occ-time">{begins ? clock(start, zone) : '…'}</span> {o.name}{' '}
      <span class="occ-level">{o.level}</span>
    </button>
  );
};

/** What the month and week grids draw: their days, the occurrences, the viewer's zone and Convoy's now. */
interface GridProps {
  days: Day[];
  occurrences: FreezeOccurrence[];
  zone: string;
  now: number;
  onShow: (o: FreezeOccurrence) => void;
}

const MonthGrid = ({ days, occurrences, zone, now, onShow }: GridProps) => {
  const weeks: Day[][] = [];
  for (let i = 0; i < days.length; i += 7) weeks.push(days.slice(i, i + 7));
  const today = isoDate(now, zone);
  return (
    <table class="month">
      <thead>
        <tr>
          {['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].map((d) => (
            <th scope="col" key={d}>
              {d}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {weeks.map((week) => (
          <tr key={week[0]?.date}>
            {week.map((day) => (
              <td
                key={day.date}
                data-date={day.date}
                class={`${day.inMonth ? '' : 'other-month'} ${day.date === today ? 'today' : ''}`}
                aria-current={day.date === today ? 'date' : undefined}
              >
                <div class="day-number">
                  {Number(day.date.slice(8))}
                  {day.date === today ? <span class="today-label"> today</span> : null}
                </div>
                <div class="day-occs">
                  {occurrences
                    .filter((o) => overlaps(o, day))
                    .map((o) => (
                      <Chip key={`${o.id}/${o.start}`} o={o} day={day} zone={zone} onShow={onShow} />
                    ))}
                </div>
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
};

const HOURS = Array.from({ length: 24 }, (_, h) => h);

const WeekGrid = ({ days, occurrences, zone, now, onShow }: GridProps) => (
  <div class="week" role="group" aria-label="Week, by hour">
    <div class="week-head">
      <span />
      {days.map((day) => (
        <span key={day.date} class="week-day-label" data-date={day.date}>
          {weekdayLabel(day, zone)}
        </span>
      ))}
    </div>
    <div class="week-body">
      <div class="hours" aria-hidden="true">
        {HOURS.map((h) => (
          <span key={h}>{`${String(h).padStart(2, '0')}:00`}</span>
        ))}
      </div>
      {days.map((day) => (
        <div key={day.date} class="week-col" data-date={day.date}>
          {occurrences
            .filter((o) => overlaps(o, day))
            .map((o) => {
              const top = fractionOf(Date.parse(o.start), day);
              const bottom = fractionOf(Date.parse(o.end), day);
              return (
                <div
                  key={`${o.id}/${o.start}`}
                  class="block"
                  style={{ top: `${top * 100}%`, height: `${Math.max(bottom - top, 0.02) * 100}%` }}
                >
                  <Chip o={o} day={day} zone={zone} onShow={onShow} />
                </div>
              );
            })}
          {now >= day.start && now < day.end ? (
            <div class="now-line" style={{ top: `${fractionOf(now, day) * 100}%` }}>
              <span>now {clock(now, zone)}</span>
            </div>
          ) : null}
        </div>
      ))}
    </div>
  </div>
);

export const CalendarView = () => {
  const { now, error: clockError } = useServerNow();
  const [zone, setZone] = useState(browserZone);
  const [mode, setMode] = useState<CalendarMode>('month');
  const [anchor, setAnchor] = useState<number | undefined>(undefined);
  const [shown, setShown] = useState<FreezeOccurrence | undefined>(undefined);
  const at = anchor ?? now;
  const days = at === undefined ? [] : daysOf(mode, at, zone);
  const range = rangeOf(days);
  const occ = useLoad(range, () => {
    const first = earlyOccurrences;
    earlyOccurrences = undefined;
    return first?.range === range ? first.answer : loadOccurrences(range ?? '/');
  });
  useReady('calendar', occ.data !== undefined);

  if (clockError) return <ProblemBox error={clockError} action="Reading Convoy's clock" />;
  if (now === undefined || at === undefined) return <Loading what="the freeze calendar" />;
  const occurrences = occ.data?.occurrences ?? [];
  const zones = zoneOptions([...new Set(occurrences.map((o) => o.timezone))]);
  return (
    <div data-view="calendar" data-ready={occ.data ? 'true' : undefined}>
      <Section title="Freeze calendar">
        <div class="cal-bar">
          <div class="actions" role="group" aria-label="Period">
            <button
              type="button"
              onClick={() => {
                setAnchor(shift(mode, at, zone, -1));
              }}
            >
              Previous
            </button>
            <button
              type="button"
              onClick={() => {
                setAnchor(undefined);
              }}
            >
              Today
            </button>
            <button
              type="button"
              onClick={() => {
                setAnchor(shift(mode, at, zone, 1));
              }}
            >
              Next
            </button>
          </div>
          <h3 class="period" aria-live="polite">
            {periodTitle(mode, at, zone, days)}
          </h3>
          <div class="actions" role="group" aria-label="View">
            {(['month', 'week'] as const).map((m) => (
              <button
                key={m}
                type="button"
                aria-pressed={mode === m}
                class={mode === m ? 'act' : ''}
                onClick={() => {
                  setMode(m);
                }}
              >
                {m === 'month' ? 'Month' : 'Week'}
              </button>
            ))}
          </div>
          <label>
            Time zone
            <select
              value={zone}
              onChange={(e) => {
                setZone(e.currentTarget.value);
              }}
            >
              {zones.map((z) => (
                <option key={z} value={z}>
                  {z === browserZone ? `${z} (this browser)` : z}
                </option>
              ))}
            </select>
          </label>
        </div>
        <Legend />
        {occ.error ? <ProblemBox error={occ.error} action="Loading the freeze windows" /> : null}
        {!occ.data ? (
          occ.error ? null : (
            <Loading what="the freeze windows" />
          )
        ) : mode === 'month' ? (
          <MonthGrid days={days} occurrences={occurrences} zone={zone} now={now} onShow={setShown} />
        ) : (
          <WeekGrid days={days} occurrences={occurrences} zone={zone} now={now} onShow={setShown} />
        )}
        <p class="occ-detail" role="status">
          {shown
            ? occurrenceText(shown, zone)
            : `Times are shown in ${zone}. Hover over or focus a window for its own zone and times.`}
        </p>
      </Section>
      {/* Loaded once the calendar is on screen: the first paint does not wait for them. */}
      {occ.data || occ.error ? (
        <>
          <PendingOverrides />
          <CompliancePanel now={now} zone={zone} />
        </>
      ) : null}
    </div>
  );
};
