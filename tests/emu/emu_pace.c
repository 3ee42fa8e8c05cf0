/* emu_pace: simulated time against the wall clock; see emu_pace.h. */
#include "emu_pace.h"
#include "emu_clock.h"

#include "sim_time.h"
#include "sim_cycle_timers.h"

#define PACE_PERIOD_US 1000u            /* realtime: check every 1 ms simulated */
#define PACE_MAX_LAG_NS 100000000u      /* behind by more: give up catching up */
/*
 * Awake for longer than this between two sleeps and the AVR was working,
 * not ticking: the idle stretch that follows starts a fresh anchor, so time
 * run ahead while busy is not paid back in wall time.  The spiflash
 * firmware's Timer0 tick and idle loop take ~100 cycles.
 */
#define IDLE_AWAKE_MAX 2000u
/*
 * Simulated time may run this far ahead of the wall clock before a wait:
 * simavr's timers make an idle Arduino sleep in steps of ~60 us, and one
 * wait per step costs a fifth of a core.  Batched, input that arrives
 * while the AVR sleeps reaches it at most this much late (simulated time),
 * less than the 1 ms USB frame of a real adapter.
 */
#define PACE_SLACK_NS 1000000u

static avr_cycle_count_t ns_to_cycles(const avr_t *avr, uint64_t ns)
{
	return (avr_cycle_count_t)((unsigned __int128)ns * avr->frequency / 1000000000u);
}

static void anchor(struct emu_pace *p, avr_cycle_count_t cycle)
{
	p->wall0 = emu_wall_ns();
	p->sim0 = avr_cycles_to_nsec(p->avr, cycle);
	p->st.anchors++;
}

/*
 * Wait until the wall clock reaches simulated cycle `until`.  Returns 1 if
 * the host (or a signal) ended the wait early, with *at set to the cycle
 * the wall clock matched then (at most until); 0 otherwise.
 */
static int wait_until(struct emu_pace *p, avr_cycle_count_t until, avr_cycle_count_t *at)
{
	avr_t *avr = p->avr;
	uint64_t target = p->wall0 + (avr_cycles_to_nsec(avr, until) - p->sim0);
	uint64_t now = emu_wall_ns(), end;

	*at = until;
	if (now >= target) {
		/* A loaded host: lag, but do not race to catch up a long backlog. */
		if (now - target > PACE_MAX_LAG_NS)
			anchor(p, until);
		return 0;
	}
	if (target - now < PACE_SLACK_NS)
		return 0;
	p->st.waits++;
	if (!emu_bridge_wait(p->bridge, target - now)) {
		p->st.wait_ns += target - now;
		return 0;
	}
	end = emu_wall_ns();
	p->st.wait_ns += end - now;
	p->st.woken++;
	if (end < target)
		*at = ns_to_cycles(avr, end - p->wall0 + p->sim0);
	return 1;
}

/*
 * Every simulated millisecond.  Realtime: wait for the wall clock.  Idle
 * pacing: an AVR that is awake but moved no byte over SPI or the UART for a
 * whole period is spinning on a clock or on the host (the spiflash firmware
 * polls instead of sleeping while it holds half a frame): pace that too,
 * or its 100 ms timeout would pass in a few ms of the host's time.
 */
static avr_cycle_count_t pace_timer(avr_t *avr, avr_cycle_count_t when, void *param)
{
	struct emu_pace *p = param;
	avr_cycle_count_t next = when + avr_usec_to_cycles(avr, PACE_PERIOD_US), at;

	if (p->mode == EMU_PACE_IDLE) {
		uint64_t act = p->activity(p->activity_ctx);
		int moved = act != p->last_activity;

		p->last_activity = act;
		if (moved || !emu_bridge_quiet(p->bridge)) {
			p->idle = 0;
			return next;
		}
		if (!p->idle) {
			anchor(p, avr->cycle);
			p->idle = 1;
			p->woke = avr->cycle;
			return next;
		}
		p->woke = avr->cycle;    /* spinning is not work: keep the anchor */
	}
	/* Time cannot be cut short here: woken early, fetch the host's bytes now. */
	if (wait_until(p, avr->cycle, &at))
		emu_bridge_kick(p->bridge);
	return next;
}

void emu_pace_sleep(struct emu_pace *p, avr_cycle_count_t how_long)
{
	avr_t *avr = p->avr;
	avr_cycle_count_t now = avr->cycle, end = now + 1 + how_long, at;

	if (p->mode == EMU_PACE_TURBO)
		return;
	if (p->mode == EMU_PACE_IDLE) {
		if (!emu_bridge_quiet(p->bridge)) {
			p->idle = 0;                 /* bytes to move: full speed */
			return;
		}
		if (!p->idle || now - p->woke > IDLE_AWAKE_MAX) {
			anchor(p, now);
			p->idle = 1;
		}
	}
	if (!wait_until(p, end, &at) || at >= end) {
		p->woke = end;
		return;
	}
	if (at <= now)
		at = now + 1;
	p->woke = at;
	/*
	 * The host wrote (or a signal came) before the sleep was over: end the
	 * sleep at the matching simulated time.  simavr adds 1 + how_long to
	 * avr->cycle after this callback, so step back by what was not slept;
	 * the byte timer runs next and hands the new bytes to the UART.
	 */
	avr->cycle = at;
	emu_bridge_kick(p->bridge);
	avr->cycle = at - 1 - how_long;
}

void emu_pace_start(struct emu_pace *p)
{
	p->idle = 0;
	if (p->mode == EMU_PACE_TURBO)
		return;
	anchor(p, p->avr->cycle);
	avr_cycle_timer_register(p->avr, avr_usec_to_cycles(p->avr, PACE_PERIOD_US),
				 pace_timer, p);
}

void emu_pace_init(struct emu_pace *p, avr_t *avr, struct emu_bridge *b,
		   enum emu_pace_mode mode, uint64_t (*activity)(void *), void *ctx)
{
	*p = (struct emu_pace){ .avr = avr, .bridge = b, .mode = mode,
				.activity = activity, .activity_ctx = ctx };
}
