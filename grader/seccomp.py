"""The sandbox's system-call filter: no new namespaces, no kernel interfaces a submission never
needs.

bubblewrap drops every capability, but a process without capabilities may still create a user
namespace of its own (where the kernel allows unprivileged ones, as Debian and Ubuntu do), and in
it it holds every capability again: over nothing of the host's, yet with the whole of the
kernel's namespace, mount and netfilter code open to it, where most privilege escalations of
recent years were found (the red team of 2026-12-07 got CapEff 000001ffffffffff this way). The
filter, handed to bubblewrap with `--seccomp`, answers EPERM to:

- `unshare`, `setns`, and `clone` with any CLONE_NEW* flag (threads and fork clone without
  them); `clone3`, whose flags lie in memory a filter cannot read, answers ENOSYS, so the C
  library falls back to `clone` (as Flatpak and Docker do);
- mounting (`mount`, `umount2`, `pivot_root`, the new mount API), kernel keyrings, `bpf`,
  `perf_event_open`, `userfaultfd`, `ptrace`, io_uring, file handles (`open_by_handle_at`),
  modules and `kexec`;
- every system call of another ABI (32-bit calls on a 64-bit kernel, x32): the filter knows the
  numbers of one.

It is a classic BPF program written out here (the kernel's own format, 8 bytes an instruction)
for x86_64 and aarch64; on another machine no filter is installed and the sandbox's report says
so. libseccomp would write the same program, but its Python binding is not on PyPI.
"""

import contextlib
import os
import platform
import struct

# struct seccomp_data: int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6]
NR, ARCH, ARG0_LOW = 0, 4, 16
LD_W_ABS, JEQ, JGE, JSET, RET = 0x20, 0x15, 0x35, 0x45, 0x06
ALLOW = 0x7FFF0000
EPERM = 0x00050000 | 1
ENOSYS = 0x00050000 | 38
X32_BIT = 0x40000000
CLONE_NEW = 0x7E020000  # NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET

DENIED = (
    "unshare setns mount umount2 pivot_root open_tree move_mount fsopen fsconfig fsmount fspick "
    "keyctl add_key request_key bpf perf_event_open userfaultfd ptrace io_uring_setup "
    "io_uring_enter io_uring_register open_by_handle_at name_to_handle_at init_module "
    "finit_module delete_module kexec_load"
).split()

ARCHES = {
    "x86_64": {
        "audit": 0xC000003E,
        "x32": True,
        "numbers": {
            "unshare": 272, "setns": 308, "mount": 165, "umount2": 166, "pivot_root": 155,
            "open_tree": 428, "move_mount": 429, "fsopen": 430, "fsconfig": 431, "fsmount": 432,
            "fspick": 433, "keyctl": 250, "add_key": 248, "request_key": 249, "bpf": 321,
            "perf_event_open": 298, "userfaultfd": 323, "ptrace": 101, "io_uring_setup": 425,
            "io_uring_enter": 426, "io_uring_register": 427, "open_by_handle_at": 304,
            "name_to_handle_at": 303, "init_module": 175, "finit_module": 313,
            "delete_module": 176, "kexec_load": 246, "clone": 56, "clone3": 435,
        },
    },
    "aarch64": {
        "audit": 0xC00000B7,
        "x32": False,
        "numbers": {
            "unshare": 97, "setns": 268, "mount": 40, "umount2": 39, "pivot_root": 41,
            "open_tree": 428, "move_mount": 429, "fsopen": 430, "fsconfig": 431, "fsmount": 432,
            "fspick": 433, "keyctl": 219, "add_key": 217, "request_key": 218, "bpf": 280,
            "perf_event_open": 241, "userfaultfd": 282, "ptrace": 117, "io_uring_setup": 425,
            "io_uring_enter": 426, "io_uring_register": 427, "open_by_handle_at": 265,
            "name_to_handle_at": 264, "init_module": 105, "finit_module": 273,
            "delete_module": 106, "kexec_load": 104, "clone": 220, "clone3": 435,
        },
    },
}  # fmt: skip


def _op(code, k, jt=0, jf=0):
    return struct.pack("=HBBI", code, jt, jf, k)


def program(machine=None):
    """The filter's bytes for this machine's architecture (platform.machine()), or None."""
    arch = ARCHES.get(machine or platform.machine())
    if arch is None:
        return None
    numbers = arch["numbers"]
    ops = [_op(LD_W_ABS, ARCH), _op(JEQ, arch["audit"], 1, 0), _op(RET, EPERM), _op(LD_W_ABS, NR)]
    if arch["x32"]:
        ops += [_op(JGE, X32_BIT, 0, 1), _op(RET, EPERM)]
    for name in DENIED:
        ops += [_op(JEQ, numbers[name], 0, 1), _op(RET, EPERM)]
    ops += [_op(JEQ, numbers["clone3"], 0, 1), _op(RET, ENOSYS)]
    ops += [
        _op(JEQ, numbers["clone"], 0, 3),
        _op(LD_W_ABS, ARG0_LOW),
        _op(JSET, CLONE_NEW, 0, 1),
        _op(RET, EPERM),
        _op(RET, ALLOW),
    ]
    return b"".join(ops)


def program_fd():
    """A memfd holding the filter, positioned at its start (bubblewrap reads it whole), or None
    where this architecture has none. The caller passes it to one sandbox and closes it: one fd
    cannot serve two, since the first bwrap leaves its offset at the end."""
    code = program()
    if code is None:
        return None
    fd = os.memfd_create("nnlab-seccomp")
    os.write(fd, code)
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


@contextlib.contextmanager
def filter_fd():
    """program_fd() for one sandbox's start, closed afterwards (None: no filter here)."""
    fd = program_fd()
    try:
        yield fd
    finally:
        if fd is not None:
            os.close(fd)
