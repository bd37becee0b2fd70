/* SPDX-License-Identifier: BSD-3-Clause */
/**
 * @file
 * Control API of the `count` stage: read back the flows one worker saw.
 *
 * With `flows=N`, each worker's count instance remembers up to N distinct
 * IPv4 5-tuples in its own table. An app lists them at exit to show how
 * RSS spread flows over workers (each flow should appear on one worker).
 */
#ifndef SLUICE_SL_COUNT_H
#define SLUICE_SL_COUNT_H

#include <stdint.h>

#include "sluice/sl_stage.h"
#include "sluice/sl_api.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Hash of one flow key: CRC32-C (rte_hash_crc, seed 0) over the 16-byte
 * key {src_addr, dst_addr, src_port, dst_port (network order), proto, 3 zero
 * bytes}, with ports 0 for non-TCP/UDP/SCTP packets and IP fragments. The
 * same flow hashes the same on every worker.
 */
SL_API uint32_t sl_count_flow_hash(uint32_t src_addr_be, uint32_t dst_addr_be, uint16_t src_port_be,
				   uint16_t dst_port_be, uint8_t proto);

/**
 * List the flows a count instance has seen on one worker.
 *
 * @param ctx     a count stage's context on one worker (not shared: call it
 *                when the worker is stopped, or from that worker)
 * @param hashes  filled with up to `max` flow hashes (sl_count_flow_hash)
 * @param max     room in `hashes`
 * @return the number of flows the instance holds (may exceed `max`; only
 *         `max` are written), 0 when flow tracking is off, -EINVAL when
 *         `ctx` is not a count stage's.
 */
SL_API int sl_count_flows(const struct sl_stage_ctx *ctx, uint32_t *hashes, unsigned int max);

#ifdef __cplusplus
}
#endif

#endif /* SLUICE_SL_COUNT_H */
