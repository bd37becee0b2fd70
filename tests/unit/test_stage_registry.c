/* SPDX-License-Identifier: BSD-3-Clause */
/* The stage registry refuses a name taken twice, a bad name and bad ops, and
 * says so when the app starts, naming the objects both stages came from.
 * Criterion runs each test in its own process, so refusals do not leak. */
#include <errno.h>
#include <string.h>

#include <criterion/criterion.h>

#include "stage/stage_priv.h"

static uint16_t pass(struct sl_stage_ctx *ctx, struct rte_mbuf **pkts, uint16_t n, uint16_t *nexts)
{
	RTE_SET_USED(ctx);
	RTE_SET_USED(pkts);
	RTE_SET_USED(n);
	RTE_SET_USED(nexts);
	return SL_EDGE_NEXT;
}

Test(stage_registry, clean_registry_passes_the_check)
{
	struct sl_error err = {.msg = ""};

	cr_assert_not_null(sl_stage_find("count"), "the built-in stages are registered");
	cr_assert_eq(sl_stage_registry_check(&err), 0, "%s", err.msg);
}

Test(stage_registry, a_name_taken_twice_is_an_error_naming_both)
{
	static const struct sl_stage_ops again = {.name = "count", .process = pass};
	struct sl_error err = {.msg = ""};

	cr_assert_eq(sl_stage_register(&again), -EEXIST);
	cr_assert_neq(sl_stage_find("count"), &again, "the first registration stays");
	cr_assert_eq(sl_stage_registry_check(&err), -1);
	cr_assert_not_null(strstr(err.msg, "stage type 'count' is registered twice"), "%s",
			   err.msg);
	cr_assert_not_null(strstr(err.msg, "test_stage_registry"), "names the test binary: %s",
			   err.msg);
	cr_assert_not_null(strstr(err.msg, "Fix:"), "%s", err.msg);
}

Test(stage_registry, bad_names_and_ops_are_refused)
{
	static const struct sl_stage_ops upper = {.name = "Bad-Name", .process = pass};
	static const struct sl_stage_ops empty = {.name = "", .process = pass};
	static const struct sl_stage_ops neither = {.name = "neither"};
	static const struct sl_stage_ops both = {
	    .name = "both", .process = pass, .process_vector = NULL};
	struct sl_error err = {.msg = ""};

	cr_assert_eq(sl_stage_register(NULL), -EINVAL);
	cr_assert_eq(sl_stage_register(&upper), -EINVAL);
	cr_assert_eq(sl_stage_register(&empty), -EINVAL);
	cr_assert_eq(sl_stage_register(&neither), -EINVAL);
	cr_assert_eq(sl_stage_register(&both), 0, "one of process/process_vector is fine");
	cr_assert_eq(sl_stage_registry_check(&err), -1);
	cr_assert_not_null(strstr(err.msg, "'Bad-Name'"), "the first refusal: %s", err.msg);
	cr_assert_not_null(strstr(err.msg, "2 more refused"), "%s", err.msg);
}
