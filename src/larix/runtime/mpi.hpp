// Larix's link to MPI (issue 15): the MPI library that mpi4py loaded, called directly from
// Larix's threads (mpi4py asks for MPI_THREAD_MULTIPLE). Its C functions are looked up with
// dlsym in that library, so Larix builds without MPI and runs without it: until init() a process
// is rank 0 of 1, and every collective below is a local copy.
//
// Handles (communicator, datatype, request) are passed as the integers mpi4py reports
// (MPI._handleof): MPICH's are ints, Open MPI's pointers; both travel in one integer register on
// the 64-bit little-endian platforms Larix builds for, and a request is kept in 8 bytes.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "larix/support/error.hpp"

namespace larix::mpi {

struct Setup {
  std::string library;          // a shared object linked to the MPI library (mpi4py's MPI module)
  std::intptr_t comm = 0;       // the communicator Larix uses (its own duplicate of the world's)
  std::intptr_t byte_type = 0;  // MPI_BYTE
  int rank = 0;
  int size = 1;
  std::int64_t tag_ub = 32767;  // the largest tag the library allows (MPI_TAG_UB)
};

// Binds Larix to the library; a user error (ErrorKind::runtime) naming what is missing.
void init(const Setup& setup);
// Stops the progress thread: before MPI_Finalize (mpi4py finalizes at exit).
void shutdown();
bool active();
int rank();  // 0 before init
int size();  // 1 before init

// What this process sent and received, and how long its tasks waited for messages.
struct Counters {
  std::atomic<std::int64_t> bytes_sent{0};
  std::atomic<std::int64_t> bytes_received{0};
  std::atomic<std::int64_t> messages{0};
  std::atomic<std::int64_t> wait_ns{0};
};
Counters& counters();

// A rank that cannot go on with a collective step tells the others, which then fail alike.
struct Failure {
  ErrorKind kind = ErrorKind::runtime;
  std::string message;
};

// One step of a collective operation: this rank sends to[q] to each rank q and receives what each
// rank sent it, returned in rank order (its own to[rank()] copied). `key` names the operation
// (the same on every rank: its primitive and source location); every rank makes the steps of one
// key in the same order, and steps of different keys may run at once on different threads. The
// waiting task gives its thread back to the runtime (a oneTBB resumable task) until the messages
// are there. When any rank passes a failure, every rank throws the first failing rank's error
// (and nobody waits for data that will not come).
std::vector<std::vector<std::byte>> exchange(std::uint64_t key,
                                             const std::vector<std::span<const std::byte>>& to,
                                             const Failure* failure = nullptr);
// The same payload to every rank.
std::vector<std::vector<std::byte>> exchange_all(std::uint64_t key,
                                                 std::span<const std::byte> payload,
                                                 const Failure* failure = nullptr);

// exchange_all of a few int64 values (shapes, boxes): every rank's, in rank order.
std::vector<std::vector<std::int64_t>> exchange_ints(std::uint64_t key,
                                                     const std::vector<std::int64_t>& mine,
                                                     const Failure* failure = nullptr);

}  // namespace larix::mpi
