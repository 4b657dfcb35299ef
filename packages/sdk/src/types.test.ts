/** Proves the SDK's self-contained wire types identical to their source of truth in core. */
import type * as core from '@opstrails/core';
import { describe, expectTypeOf, it } from 'vitest';
import type * as sdk from './types.js';

describe('SDK wire types', () => {
  it('match the types of @opstrails/core exactly', () => {
    expectTypeOf<sdk.StoredEvent>().toEqualTypeOf<core.StoredEvent>();
    expectTypeOf<sdk.EventPage>().toEqualTypeOf<core.EventPage>();
    expectTypeOf<sdk.TrackEventResponse>().toEqualTypeOf<core.AcceptedEvent>();
    expectTypeOf<sdk.BatchResult>().toEqualTypeOf<core.BatchResult>();
    expectTypeOf<sdk.BatchRejection>().toEqualTypeOf<core.BatchRejection>();
    expectTypeOf<sdk.EventQueryParams>().toEqualTypeOf<core.EventQueryParams>();
    expectTypeOf<sdk.Severity>().toEqualTypeOf<core.Severity>();
    expectTypeOf<sdk.ErrorCode>().toEqualTypeOf<core.ErrorCode>();
  });

  it('accept only events the server schema accepts', () => {
    expectTypeOf<sdk.CloudEvent>().toExtend<core.EventInput>();
    expectTypeOf<Required<Pick<core.EventInput, 'type' | 'source' | 'time'>>>().toExtend<
      Pick<sdk.CloudEvent, 'type' | 'source' | 'time'>
    >();
  });
});
