"""Confine a forked query process: memory, CPU time, priority, and no network at all.

A SPARQL query runs in a child process forked from the server (graph/sparql.py). Before it runs,
the child calls `confine`, which the kernel then enforces whatever the query does:

- memory: `RLIMIT_AS` lets the child's address space grow by `memory_bytes` over what it
  inherited (a forked server already maps hundreds of MB it never touches); an engine that
  asks for more fails its allocation and the process ends;
- CPU time: `RLIMIT_CPU` (SIGXCPU), beside the caller's wall-clock limit;
- priority: the lowest (nice 19), so the server's own threads always run first;
- network: a new, empty network namespace where the kernel allows one (root, or unprivileged
  user namespaces), and a seccomp filter that refuses `socket()` for every family but AF_UNIX
  (and `io_uring_setup`). pyoxigraph is Rust, so replacing Python's `socket` would not stop it;
  these two stop any code in the process. The filter needs no privilege (only `no_new_privs`),
  on x86-64 and AArch64 Linux.

The query's text is also checked before it runs (graph/sparql_syntax.py); this is the second
wall, in case the engine and the checker ever read a query differently.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import resource
import struct
import sys
from dataclasses import dataclass

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
AF_UNIX = 1
LOWEST_PRIORITY = 19

# BPF opcodes and seccomp return values (linux/filter.h, linux/seccomp.h).
_LOAD_WORD = 0x20  # BPF_LD | BPF_W | BPF_ABS
_JUMP_EQUAL = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
_JUMP_AT_LEAST = 0x35  # BPF_JMP | BPF_JGE | BPF_K
_RETURN = 0x06  # BPF_RET | BPF_K
_ALLOW = 0x7FFF0000
_REFUSE = 0x00050000 | errno.EACCES  # SECCOMP_RET_ERRNO: the call fails with EACCES
_NUMBER, _ARCH, _FIRST_ARGUMENT = 0, 4, 16  # offsets in struct seccomp_data (little-endian)
_X32_SYSCALLS = 0x40000000
# machine -> (AUDIT_ARCH_*, socket, io_uring_setup)
_SYSCALLS = {
    "x86_64": (0xC000003E, 41, 425),
    "aarch64": (0xC00000B7, 198, 425),
}


@dataclass(frozen=True)
class ProcessLimits:
    """What a query process may use: extra memory, CPU seconds, and its priority."""

    memory_bytes: int = 1 << 30
    cpu_seconds: int = 11
    niceness: int = LOWEST_PRIORITY


def confine(limits: ProcessLimits) -> tuple[str, ...]:
    """Apply `limits` to this (freshly forked) process and cut it off the network.

    Returns the network protections in force ("network namespace", "seccomp"); either alone
    stops the engine from connecting anywhere.
    """
    _limit(resource.RLIMIT_AS, _address_space() + limits.memory_bytes)
    # SIGXCPU at the soft limit; SIGKILL a second later if it is ignored.
    _limit(resource.RLIMIT_CPU, limits.cpu_seconds, limits.cpu_seconds + 1)
    os.nice(max(0, limits.niceness - os.getpriority(os.PRIO_PROCESS, 0)))
    return forbid_network()


def forbid_network(namespace: bool = True, seccomp: bool = True) -> tuple[str, ...]:
    """Make new network connections impossible in this process; return what was applied.

    Call it in a single-threaded process (a forked child): a user namespace cannot be entered
    by a multi-threaded process, and the seccomp filter covers the calling thread and the
    threads it starts later.
    """
    applied = []
    if namespace and _new_network_namespace():
        applied.append("network namespace")
    if seccomp and _refuse_sockets():
        applied.append("seccomp")
    return tuple(applied)


def _limit(which: int, soft: int, hard: int | None = None) -> None:
    """Lower a resource limit to `soft` (and its hard limit to `hard`), never raising it."""
    hard = soft if hard is None else hard
    _, current = resource.getrlimit(which)
    if current != resource.RLIM_INFINITY:
        soft, hard = min(soft, current), min(hard, current)
    resource.setrlimit(which, (soft, hard))


def _address_space() -> int:
    """This process's current virtual memory size in bytes (0 where /proc is absent)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE")


def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    return ctypes.CDLL(None, use_errno=True)


def _new_network_namespace() -> bool:
    """Move into a new network namespace: no interface but a loopback that is down."""
    libc = _libc()
    if libc is None:
        return False
    if libc.unshare(CLONE_NEWNET) == 0:
        return True
    # Without CAP_SYS_ADMIN, a new user namespace grants it inside (if the kernel allows).
    return libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0


def _refuse_sockets() -> bool:
    """Install a seccomp filter: `socket()` only for AF_UNIX, no `io_uring_setup`."""
    libc = _libc()
    numbers = _SYSCALLS.get(platform.machine())
    if libc is None or numbers is None:
        return False
    arch, socket_call, io_uring_setup = numbers
    program = [
        (_LOAD_WORD, 0, 0, _ARCH),
        (_JUMP_EQUAL, 1, 0, arch),  # another ABI (i386 on x86-64): refuse everything
        (_RETURN, 0, 0, _REFUSE),
        (_LOAD_WORD, 0, 0, _NUMBER),
        (_JUMP_AT_LEAST, 4, 0, _X32_SYSCALLS),  # x32 numbering of the same calls: refuse
        (_JUMP_EQUAL, 3, 0, io_uring_setup),
        (_JUMP_EQUAL, 0, 3, socket_call),
        (_LOAD_WORD, 0, 0, _FIRST_ARGUMENT),  # the address family
        (_JUMP_EQUAL, 1, 0, AF_UNIX),
        (_RETURN, 0, 0, _REFUSE),
        (_RETURN, 0, 0, _ALLOW),
    ]
    code = b"".join(struct.pack("=HBBI", *instruction) for instruction in program)
    filters = ctypes.create_string_buffer(code, len(code))

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    fprog = SockFprog(len(program), ctypes.cast(filters, ctypes.c_void_p))
    ulong = ctypes.c_ulong
    if libc.prctl(PR_SET_NO_NEW_PRIVS, ulong(1), ulong(0), ulong(0), ulong(0)) != 0:
        return False
    pointer = ulong(ctypes.addressof(fprog))
    return libc.prctl(PR_SET_SECCOMP, ulong(SECCOMP_MODE_FILTER), pointer, ulong(0), ulong(0)) == 0
