package org.schoolgate.deploy;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.util.Arrays;

/**
 * {@link Main} under a seccomp filter that fails the system calls numbered in {@code args[0]}
 * (comma-separated, x86-64 numbers) with {@code EPERM}, as a container runtime's profile does
 * (Docker's default refuses io_uring's three calls: 425 {@code io_uring_setup}, 426 {@code
 * io_uring_enter}, 427 {@code io_uring_register}); the rest of {@code args} go to {@code Main}.
 * The filter is set on all the JVM's threads ({@code SECCOMP_FILTER_FLAG_TSYNC}) before Netty's
 * classes load, through JNA (already on the class path for transparent mode).
 */
public final class SeccompMain {
  private static final int PR_SET_NO_NEW_PRIVS = 38;
  private static final long SYS_SECCOMP = 317;
  private static final long SECCOMP_SET_MODE_FILTER = 1;
  private static final long SECCOMP_FILTER_FLAG_TSYNC = 1;

  /** The two C functions the filter needs. */
  interface C extends Library {
    int prctl(int option, long a2, long a3, long a4, long a5);

    long syscall(long number, long operation, long flags, Pointer program);
  }

  private SeccompMain() {}

  public static void main(String[] args) throws Exception {
    refuse(Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray());
    Main.main(Arrays.copyOfRange(args, 1, args.length));
  }

  /** A classic BPF program: load the call's number; for each refused one, EPERM; else allow. */
  private static void refuse(int... calls) {
    int length = 2 + 2 * calls.length;
    Memory program = new Memory(8L * length);
    int i = 0;
    instruction(program, i++, 0x20, 0, 0, 0); // BPF_LD | BPF_W | BPF_ABS: seccomp_data.nr
    for (int call : calls) {
      instruction(program, i++, 0x15, 0, 1, call); // BPF_JMP | BPF_JEQ | BPF_K
      instruction(program, i++, 0x06, 0, 0, 0x0005_0000 | 1); // BPF_RET: SECCOMP_RET_ERRNO(EPERM)
    }
    instruction(program, i, 0x06, 0, 0, 0x7fff_0000); // BPF_RET: SECCOMP_RET_ALLOW
    Memory fprog = new Memory(16); // struct sock_fprog { unsigned short len; sock_filter *filter; }
    fprog.clear();
    fprog.setShort(0, (short) length);
    fprog.setPointer(8, program);
    C c = Native.load("c", C.class);
    if (c.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0
        || c.syscall(SYS_SECCOMP, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, fprog) != 0) {
      throw new IllegalStateException("cannot set the seccomp filter: errno " + Native.getLastError());
    }
  }

  /** One {@code struct sock_filter { u16 code; u8 jt; u8 jf; u32 k; }}. */
  private static void instruction(Memory m, int index, int code, int jt, int jf, int k) {
    long at = 8L * index;
    m.setShort(at, (short) code);
    m.setByte(at + 2, (byte) jt);
    m.setByte(at + 3, (byte) jf);
    m.setInt(at + 4, k);
  }
}
