// Copyright 2026 The weft Authors.
//
// -----------------------------------------------------------------------------
// File: weft.h
// -----------------------------------------------------------------------------
//
// The umbrella header: every primitive a workload uses, and the entry points
// that run it (explore, replay, run_real). See each header for its contract.

#ifndef WEFT_WEFT_H_
#define WEFT_WEFT_H_

#include "weft/assert.h"
#include "weft/async_mutex.h"
#include "weft/async_semaphore.h"
#include "weft/atomic.h"
#include "weft/channel.h"
#include "weft/clock.h"
#include "weft/cond_var.h"
#include "weft/event.h"
#include "weft/event_loop.h"
#include "weft/faults.h"
#include "weft/explore.h"
#include "weft/message_channel.h"
#include "weft/mutex.h"
#include "weft/net.h"
#include "weft/pipe.h"
#include "weft/process.h"
#include "weft/report.h"
#include "weft/run_real.h"
#include "weft/semaphore.h"
#include "weft/shared_mutex.h"
#include "weft/sleep.h"
#include "weft/task.h"
#include "weft/this_thread.h"
#include "weft/thread.h"
#include "weft/to_thread.h"
#include "weft/when.h"

#endif  // WEFT_WEFT_H_
