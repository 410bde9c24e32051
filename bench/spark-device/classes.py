#!/usr/bin/python3
"""What bench/spark-device/pack keeps of Spark's jars and of the JDK, from -Xlog:class+load=info logs of real
runs (run with -Xshare:off, so that every JDK class names its module):

    classes.py spark CLASSPATH_FILE OUT_DIR LOG...   Spark's provided jars reduced to the classes the runs loaded
    classes.py modules LOG...                        the JDK modules the runs loaded classes from, one line
    classes.py jdk-excludes JIMAGE_LIST LOG...       a jlink @file dropping unloaded classes of java.desktop, java.xml

spark: writes OUT_DIR/NNN-name.jar for each jar of the list (colon-separated, spark/local's) that a logged class
came from or that holds no class at all (resources only: Netty's native transport), in the list's order (the class path's first-wins order kept), and OUT_DIR/classpath.txt, their names.
Each jar keeps the loaded classes (with their multi-release copies) and every entry that is not a class —
service files, properties, Spark's error-condition JSON, log4j's plugin data, the manifest — so that a
resource lookup finds what it found before; jars stay separate, so no service file is merged with another.
Dropped besides: signature files (a signed jar with fewer entries would fail its own check) and the bulky
resources no local job reads (BULKY, never a class: ICU's locale data but the two files collations read, the web UI's files — spark.ui.enabled=false —, Hadoop's
web apps, servlet schemas, the native libraries of other platforms, licence and notice texts and the poms Maven
packed: 2 MB). Entries are stored, not deflated, so that
xz compresses across jars. Jars of the job itself (dev.nvae, oneDNN's org.bytedeco) are left out:
nvae-spark.jar, first on the class path, holds them.
jdk-excludes: java.desktop (java.beans is all Spark's Jackson uses of it: 18 MB of classes) and java.xml (Hadoop's
configuration parser: 11 MB) keep their loaded classes, module-info, java.xml's resources, the class each
service the module provides to java.base names, and one entry per package (jlink refuses a module whose
descriptor names a package it lacks). JIMAGE_LIST: `jimage list --verbose` of an image holding both modules.
"""
import collections
import glob
import os
import re
import sys
import zipfile

OWN = ("/dev/nvae/", "/org/bytedeco/")
SIGNATURE = re.compile(r"META-INF/[^/]+\.(SF|RSA|DSA|EC)$", re.I)
# ICU's data (28 MB): Spark's collations read only the collators' index and root (strace of generate and encode with
# the data as a directory on the class path, opened files: icudata/coll/res_index.res and root.res).
BULKY = re.compile(r"^(com/ibm/icu/impl/data/(?!icudata/coll/(res_index|root)\.res$)|org/apache/spark/ui/static/|webapps/|jakarta/servlet/resources/"
                   r"|org/xerial/snappy/native/(?!Linux/x86_64/)|net/jpountz/util/(?!linux/amd64/)"
                   # texts no program reads: licences, notices, the poms Maven packed (pom.properties stay)
                   r"|META-INF/maven/.*/pom\.xml$|META-INF/(LICENSE|NOTICE|DEPENDENCIES)[^/]*$|META-INF/licenses/"
                   r"|(LICENSE|NOTICE)[^/]*$)", re.I)
# Classes kept whether or not a run loaded them: logging's. The traced runs log nothing above their level, so they
# load few of log4j's message, layout and throwable classes; a run that logs a warning or an error (the first
# dry run here did: a broadcast failed) then fails in the logging call itself (NoClassDefFoundError:
# org/apache/logging/log4j/message/SimpleMessage) and hides the cause.
WHOLE = re.compile(r"^(org/apache/logging/log4j/([^/]+\.class$|(message|spi|util|internal|status|simple)/)"
                   r"|org/apache/logging/log4j/core/(impl|pattern)/|org/apache/logging/slf4j/|org/slf4j/)")
OTHER_PLATFORM = re.compile(r"-(linux-(?!x86_64)|osx-|windows-)[\w-]*\.jar$")  # natives the x86-64 machine cannot load
LOAD = re.compile(r"\[class,load\] (\S+) source: (?:jrt:/(\S+)|(?:jar:)?file:(\S+?\.jar)(?:!/)?)$")
# Console providers the JDK's System.console() finds by service lookup when present (jshell's pulls in the
# compiler, 20 MB); without them it uses its own.
NOT_MODULES = {"jdk.jshell", "jdk.internal.le"}
TRIMMED = ("java.desktop", "java.xml")
PROVIDED_TO_BASE = {("java.desktop", "sun/awt/www/content/MultimediaContentHandlers.class")}  # ContentHandlerFactory


def loads(logs):
    """(module or jar path, class entry name) of every class the logs show loaded from a module or a jar."""
    seen = set()
    for log in logs:
        with open(log, errors="replace") as f:
            for line in f:
                m = LOAD.search(line.rstrip())
                if m:
                    where = m.group(2) or os.path.realpath(m.group(3))
                    seen.add((where, m.group(1).replace(".", "/") + ".class"))
    return seen


def spark(cp_file, out, logs):
    jars = [j for j in open(cp_file).read().strip().split(":") if j]
    loaded = collections.defaultdict(set)
    for where, entry in loads(logs):
        loaded[where].add(entry)
    os.makedirs(out, exist_ok=True)
    names, total = [], 0
    for i, jar in enumerate(jars):
        classes = loaded.get(os.path.realpath(jar), set())
        if any(s in jar for s in OWN) or OTHER_PLATFORM.search(os.path.basename(jar)):
            continue
        if not classes:
            # A jar without classes holds resources only (Netty's epoll library, which Netty extracts when it
            # finds it): kept whole. One with classes, none of them loaded, gives nothing the runs used.
            with zipfile.ZipFile(jar) as z:
                if any(n.endswith(".class") and not n.endswith("module-info.class") for n in z.namelist()):
                    continue
        name = f"{i:03d}-{os.path.basename(jar)}"
        kept = count = 0
        with zipfile.ZipFile(jar) as zin, zipfile.ZipFile(os.path.join(out, name), "w", zipfile.ZIP_STORED) as zout:
            for info in zin.infolist():
                n = info.filename
                is_class = n.endswith(".class") and not n.endswith("module-info.class")
                if n.endswith("/") or SIGNATURE.match(n) or (BULKY.match(n) and not is_class):
                    continue
                if is_class:
                    count += 1
                    base = re.sub(r"^META-INF/versions/\d+/", "", n)
                    if base not in classes and not WHOLE.match(base):
                        continue
                    kept += 1
                zi = zipfile.ZipInfo(n, date_time=(2020, 1, 1, 0, 0, 0))
                zi.external_attr = info.external_attr
                zout.writestr(zi, zin.read(info), zipfile.ZIP_STORED)
        size = os.path.getsize(os.path.join(out, name))
        total += size
        names.append(name)
        print(f"  {name}: {kept} of {count} classes, {size / 1e6:.1f} MB", file=sys.stderr)
    with open(os.path.join(out, "classpath.txt"), "w") as f:
        f.write(":".join(names) + "\n")
    print(f"classes.py: {len(names)} of {len(jars)} jars kept, {total / 1e6:.1f} MB stored", file=sys.stderr)


def modules(logs):
    print(",".join(sorted({w for w, _ in loads(logs) if not w.startswith("/")} - NOT_MODULES)))


def jdk_excludes(listing, logs):
    loaded = loads(logs)
    packages, module = collections.defaultdict(list), None
    with open(listing) as f:
        for line in f:
            m = re.match(r"Module: (\S+)", line)
            if m:
                module = m.group(1)
                continue
            p = line.split()
            if module in TRIMMED and len(p) == 4 and p[0].isdigit():
                packages[(module, p[3].rpartition("/")[0])].append((int(p[1]), p[3]))
    out = []
    for (module, package), entries in packages.items():
        keep = {e for _, e in entries if e == "module-info.class" or (module, e) in loaded or (module, e) in PROVIDED_TO_BASE
                or (module == "java.xml" and not e.endswith(".class"))}
        if not keep and package:
            keep = {min(entries)[1]}
        out += [f"/{module}/{e}" for _, e in entries if e not in keep]
    print("--exclude-resources=" + ",".join(out))


def main():
    a = sys.argv[1:]
    if a[:1] in (["-h"], ["--help"]):
        print(__doc__.strip())
    elif a[:1] == ["spark"] and len(a) >= 4:
        spark(a[1], a[2], a[3:])
    elif a[:1] == ["modules"] and len(a) >= 2:
        modules(a[1:])
    elif a[:1] == ["jdk-excludes"] and len(a) >= 3:
        jdk_excludes(a[1], a[2:])
    else:
        print("classes.py: expected spark CLASSPATH_FILE OUT_DIR LOG..., modules LOG... or jdk-excludes JIMAGE_LIST LOG... (--help)", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
