// Marks selected GLIBCXX version requirements of an ELF shared object as weak (VER_FLG_WEAK).
//
// Why: TorchSharp 0.107's libLibTorchSharp.so asks for GLIBCXX_3.4.32 (GCC 13), but Debian 12 and
// Ubuntu 22.04 ship GCC 12's libstdc++. The only symbol bound to that version is
// std::ios_base_library_init(), which no relocation uses, so a weak requirement lets the loader
// accept the older libstdc++ and everything else binds normally. The step is a no-op where the
// system libstdc++ already provides the version.
//
// This one file is compiled twice: by MSBuild's RoslynCodeTaskFactory (build/Tuner.Native.targets,
// including the task class at the bottom) and by tests/Tuner.Training.Tests (TUNER_TESTS defined).
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Tuner.Build
{
    /// <summary>One entry of an ELF .gnu.version_r section.</summary>
    public sealed class VersionNeed
    {
        public VersionNeed(string file, string version, ushort flags, long flagsOffset)
        {
            File = file;
            Version = version;
            Flags = flags;
            FlagsOffset = flagsOffset;
        }

        public string File { get; }
        public string Version { get; }
        public ushort Flags { get; }
        public long FlagsOffset { get; }
        public bool IsWeak => (Flags & ElfVersionNeeds.VerFlgWeak) != 0;
    }

    public static class ElfVersionNeeds
    {
        public const ushort VerFlgWeak = 0x2;
        private const uint ShtGnuVerneed = 0x6ffffffe;

        /// <summary>Reads the version requirements of a 64-bit little-endian ELF image; empty for anything else.</summary>
        public static List<VersionNeed> Read(byte[] elf)
        {
            var result = new List<VersionNeed>();
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            {
                return result;
            }

            if (elf[4] != 2 || elf[5] != 1)
            {
                return result; // not ELFCLASS64 / ELFDATA2LSB
            }

            long shoff = (long)BitConverter.ToUInt64(elf, 0x28);
            int shentsize = BitConverter.ToUInt16(elf, 0x3A);
            int shnum = BitConverter.ToUInt16(elf, 0x3C);
            for (int i = 0; i < shnum; i++)
            {
                long sh = shoff + ((long)i * shentsize);
                if (sh + 64 > elf.Length)
                {
                    break;
                }

                uint type = BitConverter.ToUInt32(elf, (int)sh + 4);
                if (type != ShtGnuVerneed)
                {
                    continue;
                }

                long offset = (long)BitConverter.ToUInt64(elf, (int)sh + 0x18);
                uint link = BitConverter.ToUInt32(elf, (int)sh + 0x28);
                uint count = BitConverter.ToUInt32(elf, (int)sh + 0x2C);
                long strSh = shoff + ((long)link * shentsize);
                long strOffset = (long)BitConverter.ToUInt64(elf, (int)strSh + 0x18);

                long need = offset;
                for (uint n = 0; n < count; n++)
                {
                    ushort auxCount = BitConverter.ToUInt16(elf, (int)need + 2);
                    uint fileName = BitConverter.ToUInt32(elf, (int)need + 4);
                    uint auxOffset = BitConverter.ToUInt32(elf, (int)need + 8);
                    uint next = BitConverter.ToUInt32(elf, (int)need + 12);
                    string file = ReadString(elf, strOffset + fileName);
                    long aux = need + auxOffset;
                    for (int a = 0; a < auxCount; a++)
                    {
                        ushort flags = BitConverter.ToUInt16(elf, (int)aux + 4);
                        uint name = BitConverter.ToUInt32(elf, (int)aux + 8);
                        uint auxNext = BitConverter.ToUInt32(elf, (int)aux + 12);
                        result.Add(new VersionNeed(file, ReadString(elf, strOffset + name), flags, aux + 4));
                        if (auxNext == 0)
                        {
                            break;
                        }

                        aux += auxNext;
                    }

                    if (next == 0)
                    {
                        break;
                    }

                    need += next;
                }
            }

            return result;
        }

        /// <summary>Sets VER_FLG_WEAK on every requirement whose version is listed; returns how many changed.</summary>
        public static int Weaken(byte[] elf, ICollection<string> versions)
        {
            int changed = 0;
            foreach (VersionNeed need in Read(elf))
            {
                if (!versions.Contains(need.Version) || need.IsWeak)
                {
                    continue;
                }

                ushort flags = (ushort)(need.Flags | VerFlgWeak);
                elf[need.FlagsOffset] = (byte)(flags & 0xff);
                elf[need.FlagsOffset + 1] = (byte)(flags >> 8);
                changed++;
            }

            return changed;
        }

        /// <summary>The system's libstdc++.so.6, or null when none is found in the usual places.</summary>
        public static string? FindSystemLibStdCxx()
        {
            string[] dirs =
            {
                "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu",
                "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib",
            };
            foreach (string dir in dirs)
            {
                string candidate = Path.Combine(dir, "libstdc++.so.6");
                if (System.IO.File.Exists(candidate))
                {
                    return candidate;
                }
            }

            return null;
        }

        /// <summary>True when the library's version definitions name <paramref name="version"/>.</summary>
        public static bool Provides(string libraryPath, string version)
        {
            byte[] bytes = System.IO.File.ReadAllBytes(libraryPath);
            byte[] needle = Encoding.ASCII.GetBytes(version + "\0");
            return IndexOf(bytes, needle) >= 0;
        }

        /// <summary>
        /// Weakens the listed versions in <paramref name="path"/> unless <paramref name="systemLibStdCxx"/> provides
        /// them all. The file is replaced (written to a temporary file and moved), never written in place, so a
        /// hard link into the NuGet cache is not modified. Returns a one-line description of what happened.
        /// </summary>
        public static string PatchFile(string path, ICollection<string> versions, string? systemLibStdCxx)
        {
            byte[] elf = System.IO.File.ReadAllBytes(path);
            var missing = new List<string>();
            foreach (VersionNeed need in Read(elf))
            {
                if (versions.Contains(need.Version) && !need.IsWeak &&
                    (systemLibStdCxx == null || !Provides(systemLibStdCxx, need.Version)))
                {
                    missing.Add(need.Version);
                }
            }

            if (missing.Count == 0)
            {
                return "no change: " + Path.GetFileName(path) + " needs nothing the system libstdc++ lacks";
            }

            var toWeaken = new HashSet<string>(missing);
            int changed = Weaken(elf, toWeaken);
            string temp = path + ".tuner-patch.tmp";
            System.IO.File.WriteAllBytes(temp, elf);
            System.IO.File.Delete(path);
            System.IO.File.Move(temp, path);
            return "weakened " + changed + " requirement(s) " + string.Join(",", toWeaken) + " in " + Path.GetFileName(path);
        }

        private static string ReadString(byte[] elf, long offset)
        {
            long end = offset;
            while (end < elf.Length && elf[end] != 0)
            {
                end++;
            }

            return Encoding.ASCII.GetString(elf, (int)offset, (int)(end - offset));
        }

        private static int IndexOf(byte[] haystack, byte[] needle)
        {
            for (int i = 0; i + needle.Length <= haystack.Length; i++)
            {
                if (haystack[i] != needle[0])
                {
                    continue;
                }

                int j = 1;
                while (j < needle.Length && haystack[i + j] == needle[j])
                {
                    j++;
                }

                if (j == needle.Length)
                {
                    return i;
                }
            }

            return -1;
        }
    }

#if !TUNER_TESTS
    /// <summary>MSBuild task wrapper (RoslynCodeTaskFactory).</summary>
    public sealed class WeakenGlibcxxRequirements : Microsoft.Build.Utilities.Task
    {
        [Microsoft.Build.Framework.Required]
        public string[] Files { get; set; } = Array.Empty<string>();

        [Microsoft.Build.Framework.Required]
        public string Versions { get; set; } = string.Empty;

        public override bool Execute()
        {
            var versions = new HashSet<string>(Versions.Split(new[] { ';', ',' }, StringSplitOptions.RemoveEmptyEntries));
            string? system = ElfVersionNeeds.FindSystemLibStdCxx();
            foreach (string file in Files)
            {
                if (!System.IO.File.Exists(file))
                {
                    continue;
                }

                string message = ElfVersionNeeds.PatchFile(file, versions, system);
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High, "Tuner native: " + message);
            }

            return true;
        }
    }
#endif
}
