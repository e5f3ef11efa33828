namespace Vnvdimm.Host.Configuration;

/// <summary>
/// What QEMU 7.2 (TCG, x86_64) knows about CPU models: the names "-cpu help" lists, each model's
/// vendor (AMD decides the 1 TiB relocation of RAM above 4 GiB) and whether it is 64-bit, and
/// the CPUID flag names (valid CPU properties). Vendor and width were measured with Debian's
/// qemu-system-x86_64 through the addresses in its phys-bits errors.
/// </summary>
internal static class CpuModelTable
{
    /// <summary>Every model but "host", as "-cpu help" lists them.</summary>
    public static readonly HashSet<string> Models = new(Split("""
        486 486-v1 Broadwell Broadwell-IBRS Broadwell-noTSX Broadwell-noTSX-IBRS Broadwell-v1 Broadwell-v2 
        Broadwell-v3 Broadwell-v4 Cascadelake-Server Cascadelake-Server-noTSX Cascadelake-Server-v1 
        Cascadelake-Server-v2 Cascadelake-Server-v3 Cascadelake-Server-v4 Cascadelake-Server-v5 Conroe Conroe-v1 
        Cooperlake Cooperlake-v1 Cooperlake-v2 Denverton Denverton-v1 Denverton-v2 Denverton-v3 Dhyana Dhyana-v1 
        Dhyana-v2 EPYC EPYC-IBPB EPYC-Milan EPYC-Milan-v1 EPYC-Rome EPYC-Rome-v1 EPYC-Rome-v2 EPYC-v1 EPYC-v2 EPYC-v3 
        Haswell Haswell-IBRS Haswell-noTSX Haswell-noTSX-IBRS Haswell-v1 Haswell-v2 Haswell-v3 Haswell-v4 
        Icelake-Server Icelake-Server-noTSX Icelake-Server-v1 Icelake-Server-v2 Icelake-Server-v3 Icelake-Server-v4 
        Icelake-Server-v5 Icelake-Server-v6 IvyBridge IvyBridge-IBRS IvyBridge-v1 IvyBridge-v2 KnightsMill 
        KnightsMill-v1 Nehalem Nehalem-IBRS Nehalem-v1 Nehalem-v2 Opteron_G1 Opteron_G1-v1 Opteron_G2 Opteron_G2-v1 
        Opteron_G3 Opteron_G3-v1 Opteron_G4 Opteron_G4-v1 Opteron_G5 Opteron_G5-v1 Penryn Penryn-v1 SandyBridge 
        SandyBridge-IBRS SandyBridge-v1 SandyBridge-v2 Skylake-Client Skylake-Client-IBRS Skylake-Client-noTSX-IBRS 
        Skylake-Client-v1 Skylake-Client-v2 Skylake-Client-v3 Skylake-Client-v4 Skylake-Server Skylake-Server-IBRS 
        Skylake-Server-noTSX-IBRS Skylake-Server-v1 Skylake-Server-v2 Skylake-Server-v3 Skylake-Server-v4 
        Skylake-Server-v5 Snowridge Snowridge-v1 Snowridge-v2 Snowridge-v3 Snowridge-v4 Westmere Westmere-IBRS 
        Westmere-v1 Westmere-v2 athlon athlon-v1 core2duo core2duo-v1 coreduo coreduo-v1 kvm32 kvm32-v1 kvm64 
        kvm64-v1 n270 n270-v1 pentium pentium-v1 pentium2 pentium2-v1 pentium3 pentium3-v1 phenom phenom-v1 qemu32 
        qemu32-v1 qemu64 qemu64-v1 base max
        """), StringComparer.Ordinal);

    /// <summary>Models whose vendor is AuthenticAMD under TCG ("max" included).</summary>
    public static readonly HashSet<string> Amd = new(Split("""
        EPYC EPYC-IBPB EPYC-Milan EPYC-Milan-v1 EPYC-Rome EPYC-Rome-v1 EPYC-Rome-v2 EPYC-v1 EPYC-v2 EPYC-v3
        Opteron_G1 Opteron_G1-v1 Opteron_G2 Opteron_G2-v1 Opteron_G3 Opteron_G3-v1 Opteron_G4 Opteron_G4-v1
        Opteron_G5 Opteron_G5-v1 phenom phenom-v1 qemu64 qemu64-v1 max athlon athlon-v1
        """), StringComparer.Ordinal);

    /// <summary>Models without long mode whose PAE or PSE-36 gives 36 physical address bits.</summary>
    public static readonly HashSet<string> Bits36 = new(Split("""
        athlon athlon-v1 kvm32 kvm32-v1 pentium2 pentium2-v1 pentium3 pentium3-v1
        """), StringComparer.Ordinal);

    /// <summary>Models without long mode and without PAE/PSE-36: 32 physical address bits.</summary>
    public static readonly HashSet<string> Bits32 = new(Split("""
        486 486-v1 coreduo coreduo-v1 n270 n270-v1 pentium pentium-v1 qemu32 qemu32-v1 base
        """), StringComparer.Ordinal);

    /// <summary>"Recognized CPUID flags": boolean properties of every x86 CPU.</summary>
    public static readonly HashSet<string> Flags = new(Split("""
         3dnow 3dnowext 3dnowprefetch abm ace2 ace2-en acpi adx aes amd-no-ssb amd-ssbd amd-stibp amx-bf16 amx-int8 
        amx-tile apic arat arch-capabilities arch-lbr avic avx avx-vnni avx2 avx512-4fmaps avx512-4vnniw avx512-bf16 
        avx512-fp16 avx512-vp2intersect avx512-vpopcntdq avx512bitalg avx512bw avx512cd avx512dq avx512er avx512f 
        avx512ifma avx512pf avx512vbmi avx512vbmi2 avx512vl avx512vnni bmi1 bmi2 bus-lock-detect cid cldemote clflush 
        clflushopt clwb clzero cmov cmp-legacy core-capability cr8legacy cx16 cx8 dca de decodeassists ds ds-cpl 
        dtes64 erms est extapic f16c flushbyasid fma fma4 fpu fsgsbase fsrm full-width-write fxsr fxsr-opt gfni hle 
        ht hypervisor ia64 ibpb ibrs ibrs-all ibs intel-pt intel-pt-lip invpcid invtsc kvm-asyncpf kvm-asyncpf-int 
        kvm-hint-dedicated kvm-mmu kvm-msi-ext-dest-id kvm-nopiodelay kvm-poll-control kvm-pv-eoi kvm-pv-ipi 
        kvm-pv-sched-yield kvm-pv-tlb-flush kvm-pv-unhalt kvm-steal-time kvmclock kvmclock kvmclock-stable-bit la57 
        lahf-lm lbrv lm lwp mca mce md-clear mds-no misalignsse mmx mmxext monitor movbe movdir64b movdiri mpx msr 
        mtrr nodeid-msr npt nrip-save nx osvw pae pat pause-filter pbe pcid pclmulqdq pcommit pdcm pdpe1gb 
        perfctr-core perfctr-nb pfthreshold pge phe phe-en pks pku pmm pmm-en pn pni popcnt pschange-mc-no pse pse36 
        rdctl-no rdpid rdrand rdseed rdtscp rsba rtm sep serialize sgx sgx-debug sgx-exinfo sgx-kss sgx-mode64 
        sgx-provisionkey sgx-tokenkey sgx1 sgx2 sgxlc sha-ni skinit skip-l1dfl-vmentry smap smep smx spec-ctrl 
        split-lock-detect ss ssb-no ssbd sse sse2 sse4.1 sse4.2 sse4a ssse3 stibp svm svm-lock svme-addr-chk syscall 
        taa-no tbm tce tm tm2 topoext tsc tsc-adjust tsc-deadline tsc-scale tsx-ctrl tsx-ldtrk umip v-vmsave-vmload 
        vaes vgif virt-ssbd vmcb-clean vme vmx vmx-activity-hlt vmx-activity-shutdown vmx-activity-wait-sipi 
        vmx-apicv-register vmx-apicv-vid vmx-apicv-x2apic vmx-apicv-xapic vmx-cr3-load-noexit vmx-cr3-store-noexit 
        vmx-cr8-load-exit vmx-cr8-store-exit vmx-desc-exit vmx-encls-exit vmx-entry-ia32e-mode vmx-entry-load-bndcfgs 
        vmx-entry-load-efer vmx-entry-load-pat vmx-entry-load-perf-global-ctrl vmx-entry-load-pkrs 
        vmx-entry-load-rtit-ctl vmx-entry-noload-debugctl vmx-ept vmx-ept-1gb vmx-ept-2mb vmx-ept-advanced-exitinfo 
        vmx-ept-execonly vmx-eptad vmx-eptp-switching vmx-exit-ack-intr vmx-exit-clear-bndcfgs 
        vmx-exit-clear-rtit-ctl vmx-exit-load-efer vmx-exit-load-pat vmx-exit-load-perf-global-ctrl 
        vmx-exit-load-pkrs vmx-exit-nosave-debugctl vmx-exit-save-efer vmx-exit-save-pat 
        vmx-exit-save-preemption-timer vmx-flexpriority vmx-hlt-exit vmx-ins-outs vmx-intr-exit vmx-invept 
        vmx-invept-all-context vmx-invept-single-context vmx-invept-single-context 
        vmx-invept-single-context-noglobals vmx-invlpg-exit vmx-invpcid-exit vmx-invvpid vmx-invvpid-all-context 
        vmx-invvpid-single-addr vmx-io-bitmap vmx-io-exit vmx-monitor-exit vmx-movdr-exit vmx-msr-bitmap vmx-mtf 
        vmx-mwait-exit vmx-nmi-exit vmx-page-walk-4 vmx-page-walk-5 vmx-pause-exit vmx-ple vmx-pml vmx-posted-intr 
        vmx-preemption-timer vmx-rdpmc-exit vmx-rdrand-exit vmx-rdseed-exit vmx-rdtsc-exit vmx-rdtscp-exit 
        vmx-secondary-ctls vmx-shadow-vmcs vmx-store-lma vmx-true-ctls vmx-tsc-offset vmx-tsc-scaling 
        vmx-unrestricted-guest vmx-vintr-pending vmx-vmfunc vmx-vmwrite-vmexit-fields vmx-vnmi vmx-vnmi-pending 
        vmx-vpid vmx-wbinvd-exit vmx-xsaves vmx-zero-len-inject vpclmulqdq waitpkg wbnoinvd wdt x2apic xcrypt 
        xcrypt-en xfd xgetbv1 xop xsave xsavec xsaveerptr xsaveopt xsaves xstore xstore-en xtpr
        """), StringComparer.Ordinal);

    private static string[] Split(string text) => text.Split([' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);
}
