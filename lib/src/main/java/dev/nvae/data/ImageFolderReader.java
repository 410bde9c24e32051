package dev.nvae.data;

import dev.nvae.NvaeException;
import dev.nvae.io.FormatException;
import dev.nvae.io.IoErrors;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A folder of class sub-folders of PNG/PGM images (the layout of the Extended Yale B face set) as a dataset:
 * {@code DIR/<class>/<image>}. Class names are the sub-folder names in sorted (code point) order and
 * their index is the label; images are read in sorted file-name order within a class, class by class,
 * so the same folder always gives the same dataset. Only *.png and *.pgm files are read (other files,
 * hidden entries and deeper folders are ignored; one so named that is no file, a link to nothing or a FIFO, is refused);
 * every image must have the size of the first. An image outside any
 * class folder (in DIR itself, or in train/ or test/) has no class and no split, so it is refused, not left unread.
 *
 * <p>Channels: if any image of the folder (of either split) is a PNG stored in colour — RGB, RGBA or a
 * palette — the set is RGB (3 channels, grey images repeated in each); otherwise it is grey. The decision
 * is one for the whole folder, so the train and test splits always agree.
 *
 * <p>Splits: if DIR holds the sub-folders {@code train} and {@code test} and no other but {@value #UNLABELLED},
 * each is such a folder and both have the same class folders. Otherwise the split is fixed by position: within each
 * class, every fifth image (sorted index 4, 9, 14, ...) is test, the others train.
 *
 * <p>A sub-folder named {@value #UNLABELLED} (beside the class folders, inside {@code train/}, or beside
 * {@code train/} and {@code test/}) holds images without a label, for semi-supervised or label-free training: it is
 * no class, and its images all belong to the training split, after the labelled ones ({@code train/unlabelled/}'s
 * before DIR's own where both are there); another spelling of it ({@code unlabeled/}, {@code Unlabelled/}) is refused,
 * not read as a class. One inside {@code test/} belongs to no split ({@link DataSources}
 * says so when it reads the test split), unless neither split has a class folder: then it is the test split.
 */
public final class ImageFolderReader {
    static final int TEST_EVERY = 5;
    static final String UNLABELLED = "unlabelled";
    /** Names that mean {@value #UNLABELLED} but are not it (compared lower-cased). */
    private static final java.util.Set<String> UNLABELLED_SPELLINGS = java.util.Set.of(UNLABELLED, "unlabeled");

    private ImageFolderReader() {
    }

    public static Dataset read(Path dir, Split split, String name) {
        List<Path> splitDirs = subfolders(dir);
        boolean explicit = explicitSplits(splitDirs);
        List<String> classes;
        Path root;
        refuseLooseImages(dir, explicit ? "train/ and test/" : "any class sub-folder");
        if (explicit) {
            if (splitDirs.size() == 3) for (Path splitDir : splitDirs.subList(0, 2)) refuseImagesOutsideClassFolders(splitDir);
            for (Path splitDir : splitDirs.subList(0, 2)) refuseLooseImages(splitDir, "any class sub-folder");
            // One class list for both: a model trained on train/ is tested on test/, and a class folder
            // named differently in one of them (a typo) would silently become two classes.
            // unlabelled/ (train/ only) holds no class.
            List<String> test = classNames(splitDirs.get(0)), train = classNames(splitDirs.get(1));
            // Before the two lists are compared: train/unlabeled/ alone would be refused as a class test/ lacks, which hides
            // its spelling and invites a test/unlabeled/ beside it.
            refuseMisspeltUnlabelled(splitDirs.get(1), train);
            refuseMisspeltUnlabelled(splitDirs.get(0), test);
            if (!test.equals(train)) {
                TreeSet<String> onlyTrain = new TreeSet<>(train), onlyTest = new TreeSet<>(test);
                onlyTrain.removeAll(test);
                onlyTest.removeAll(train);
                List<String> sides = new ArrayList<>();
                if (!onlyTrain.isEmpty()) sides.add("only in train/: " + onlyTrain);
                if (!onlyTest.isEmpty()) sides.add("only in test/: " + onlyTest);
                throw new FormatException(dir, "train/ and test/ have different class folders (" + String.join("; ", sides)
                        + "); both splits need the same classes");
            }
            classes = train;
            root = dir.resolve(split.label());
        } else {
            classes = classNames(dir);
            root = dir;
        }
        refuseMisspeltUnlabelled(root, classes);
        for (String c : classes) {
            // classes.txt (sample --format idx writes one) holds a name per line: 'a\nb' would come back as two classes.
            if (c.chars().anyMatch(Character::isISOControl)) {
                throw new FormatException(dir, "class folder '" + NvaeException.escapedControls(c) + "': its name holds a control character; class names are"
                        + " written one per line (classes.txt): rename the folder");
            }
            // classes.txt is read back with each name stripped (a \r, an editor's stray space): ' a ' would come back as 'a'.
            if (!c.equals(c.strip())) {
                throw new FormatException(dir, "class folder '" + c + "': its name begins or ends with white space, which classes.txt"
                        + " does not keep (its names are read stripped): rename the folder");
            }
        }
        List<Path> unlabelled = new ArrayList<>();
        if (readsUnlabelled(split, explicit, classes)) {
            // DIR/unlabelled/ beside the splits means what train/unlabelled/ does. Both are read rather than one refused:
            // neither is ambiguous, and a user who keeps unlabelled images in two places means all of them; the order
            // is fixed (the split's own first, as their paths sort) so that the same folder gives the same dataset.
            List<Path> candidates = explicit && split == Split.TRAIN ? List.of(root.resolve(UNLABELLED), dir.resolve(UNLABELLED))
                    : List.of(root.resolve(UNLABELLED));
            for (Path u : candidates) if (Files.isDirectory(u)) unlabelled.add(u);
        }
        if (classes.isEmpty() && unlabelled.isEmpty()) {
            // A folder of unlabelled/ alone is training data; testing on it would test on the images trained on.
            if (!explicit && Files.isDirectory(root.resolve(UNLABELLED))) {
                throw new FormatException(dir, "has no " + split.label() + " split: its images are all under " + UNLABELLED
                        + "/, the training split's (give --split train, or put the images under train/unlabelled/ and test/unlabelled/)");
            }
            // With train/ and test/, the split's own folder is what lacks images: "DIR has no class sub-folders" sent the
            // user looking at DIR, whose train/unlabelled/ may hold every image it should.
            if (explicit) {
                throw new FormatException(root, "holds no " + split.label() + " images: no class sub-folder and no " + UNLABELLED + "/ folder");
            }
            throw new FormatException(dir, "has no class sub-folders");
        }
        if (classes.size() > 256) throw new FormatException(dir, "has " + classes.size() + " class sub-folders; at most 256 are supported");

        int channels = firstStoredInColour(imageFolders(dir, explicit)) != null ? 3 : 1;
        ByteArrayOutputStream pixels = new ByteArrayOutputStream();
        ByteArrayOutputStream labels = new ByteArrayOutputStream();
        DecodedImage first = null;
        Path firstFile = null;
        BitSet missing = new BitSet();
        List<Path> otherSplit = new ArrayList<>();  // without train/ and test/: the other split's images, checked below
        for (int k = 0; k < classes.size() + unlabelled.size(); k++) {
            boolean labelled = k < classes.size(); // the unlabelled folders are read last
            Path classDir = labelled ? root.resolve(classes.get(k)) : unlabelled.get(k - classes.size());
            if (!Files.isDirectory(classDir)) continue; // a class present only in the other split
            List<Path> images = images(classDir);
            if (images.isEmpty()) {
                throw new FormatException(classDir, (labelled ? "class" : "unlabelled") + " folder holds no .png or .pgm images"
                        + (DataSources.isDataset(classDir) ? datasetHint(classDir) : labelled && !explicit ? nestedHint(classDir) : ""));
            }
            for (int i = 0; i < images.size(); i++) {
                if (labelled && !explicit && (i % TEST_EVERY == TEST_EVERY - 1) != (split == Split.TEST)) {
                    otherSplit.add(images.get(i));
                    continue;
                }
                Path file = images.get(i);
                DecodedImage image = ImageFiles.read(file).withChannels(channels);
                if (first == null) {
                    first = image;
                    firstFile = file;
                } else {
                    requireSize(file, image.height(), image.width(), first, firstFile, "");
                }
                if ((long) pixels.size() + image.pixels().length > Integer.MAX_VALUE - 8) {
                    throw new FormatException(dir, "images add up to more than " + (Integer.MAX_VALUE - 8) + " pixels");
                }
                pixels.writeBytes(image.pixels());
                if (!labelled) missing.set(labels.size());
                labels.write(labelled ? k : 0);
            }
        }
        if (first == null) throw new FormatException(root, "holds no " + split.label() + " images");
        if (explicit) sameSizeInOtherSplit(dir.resolve(split == Split.TRAIN ? "test" : "train"), classes, first, firstFile);
        // Training checks the images it leaves to the test split, by their headers: one of another size was found
        // only by evaluate, after the model was trained (NPY data was refused at once).
        if (split == Split.TRAIN) for (Path file : otherSplit) sameSize(file, first, firstFile, "");
        return new Dataset(name, pixels.toByteArray(), labels.toByteArray(), missing, channels, first.height(), first.width(), classes);
    }

    /**
     * Refuses {@code file} if its size, as its header declares it (a PNG's is read without decoding it; a PGM is
     * decoded), is not {@code first}'s; a file that cannot be read is left to the command that reads it.
     */
    private static void sameSize(Path file, DecodedImage first, Path firstFile, String why) {
        // (A PGM has no header to read alone: it is decoded, which costs little for the raw grey images it holds.)
        if (file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".png")) {
            int[] shape = ImageFiles.declaredPngShape(file);
            if (shape != null && shape[1] > 0 && shape[2] > 0) requireSize(file, shape[1], shape[2], first, firstFile, why);
            return;
        }
        DecodedImage image;
        try {
            image = ImageFiles.read(file);
        } catch (NvaeException unreadable) {  // FormatException too: what reads it says why
            return;
        }
        requireSize(file, image.height(), image.width(), first, firstFile, why);
    }

    private static void requireSize(Path file, int h, int w, DecodedImage first, Path firstFile, String why) {
        if (h != first.height() || w != first.width()) {
            throw new FormatException(file, "mixed image sizes: this image is " + h + "x" + w + " but " + firstFile + " is "
                    + first.height() + "x" + first.width() + " (height x width)" + why);
        }
    }

    /**
     * A "class folder" that is a dataset of its own (a box's testdata/ holds fashion-mnist-subset/, IDX files): the data
     * folder given was its parent.
     */
    private static String datasetHint(Path classDir) {
        return " but is a dataset itself (IDX or NPY files): give --data " + classDir
                + (classDir.getFileName().toString().equals("fashion-mnist-subset") ? ", or --data testdata for the bundled subset" : "");
    }

    /**
     * What a refusal of an image-less class folder adds where that folder has sub-folders: a train/ beside no test/ (its
     * images under train/unlabelled/ or train/<class>/) is read as a class named train, as it must be, since a class may be
     * named so; the user meant splits, and "holds no images" alone did not say why its images went unread.
     */
    private static String nestedHint(Path classDir) {
        List<String> inside = subfolders(classDir).stream().map(p -> p.getFileName() + "/").toList();
        if (inside.isEmpty()) return "";
        String shown = String.join(", ", inside.subList(0, Math.min(3, inside.size()))) + (inside.size() > 3 ? ", ..." : "");
        return " but has sub-folders (" + shown + "), which are not read: the data folder is read as train/ and test/ splits only"
                + " when it holds both and no other folder but " + UNLABELLED + "/" + (inside.contains(UNLABELLED + "/")
                        ? ", and unlabelled images without a test split go in its own " + UNLABELLED + "/" : "");
    }

    /**
     * Whether {@code split} reads an unlabelled/ folder. The training split does. The test split is test/'s class
     * folders, what a model is measured on against their labels, and unlabelled/ is training data; but where neither
     * split has a class folder (data without any label, a vae's) test/unlabelled/ is all test/ holds, so it is the
     * test split. The fixed split (no train/ and test/) puts every unlabelled image in training.
     */
    private static boolean readsUnlabelled(Split split, boolean explicit, List<String> classes) {
        return split == Split.TRAIN || explicit && classes.isEmpty();
    }

    /**
     * The images of {@code dir/test/unlabelled/} (as {@link #read} lists them), which no split holds
     * ({@link #readsUnlabelled}); empty where dir has no such folder, or the test split reads it.
     */
    static List<Path> unlabelledTestImages(Path dir) {
        if (!explicitSplits(subfolders(dir))) return List.of();
        if (readsUnlabelled(Split.TEST, true, classNames(dir.resolve(Split.TEST.label())))) return List.of();
        Path unlabelled = dir.resolve(Split.TEST.label()).resolve(UNLABELLED);
        return Files.isDirectory(unlabelled) ? images(unlabelled) : List.of();
    }

    /**
     * Whether a folder's sub-folders (sorted) are {@code test} and {@code train}, and {@value #UNLABELLED} or nothing
     * else: then the first two are the splits.
     */
    private static boolean explicitSplits(List<Path> splitDirs) {
        List<String> names = splitDirs.stream().map(p -> p.getFileName().toString()).toList();
        return names.equals(List.of("test", "train")) || names.equals(List.of("test", "train", UNLABELLED));
    }

    /**
     * A split folder's own images, where it has no class folder, are what a class named train or test held before
     * unlabelled/ beside the splits made them splits; left unread they would vanish from the data without a word.
     */
    private static void refuseImagesOutsideClassFolders(Path splitDir) {
        if (!classNames(splitDir).isEmpty()) return;
        int n = images(splitDir).size();
        if (n == 0) return;
        throw new FormatException(splitDir, "holds " + n + (n == 1 ? " image" : " images") + " but no class sub-folder: beside "
                + UNLABELLED + "/, train/ and test/ are splits, whose images go in class sub-folders (or " + UNLABELLED
                + "/); classes named train and test need other names");
    }

    /**
     * Images in a folder whose sub-folders are the classes (or the splits) are in none of them: they would silently be
     * left out of the data, and were most often meant as unlabelled images. {@code outside} names those sub-folders.
     */
    private static void refuseLooseImages(Path folder, String outside) {
        List<Path> loose = images(folder);
        if (loose.isEmpty()) return;
        String shown = String.join(", ", loose.subList(0, Math.min(3, loose.size())).stream().map(p -> p.getFileName().toString()).toList())
                + (loose.size() > 3 ? ", ..." : "");
        throw new FormatException(folder, "holds " + loose.size() + (loose.size() == 1 ? " image" : " images") + " (" + shown + ") outside "
                + outside + ", which would go unread: an image's class is the folder it is in (" + UNLABELLED
                + "/ for an image without a label)");
    }

    /** Whether {@code dir} looks like this layout: it has at least one visible sub-folder. */
    public static boolean looksLikeImageFolder(Path dir) {
        return !subfolders(dir).isEmpty();
    }

    /** The other split's first image must have this split's size: a model trained on one is tested on the other. */
    private static void sameSizeInOtherSplit(Path other, List<String> classes, DecodedImage first, Path firstFile) {
        for (String c : classes) {
            Path classDir = other.resolve(c);
            List<Path> images = Files.isDirectory(classDir) ? images(classDir) : List.of();
            if (images.isEmpty()) continue;
            sameSize(images.getFirst(), first, firstFile, "; the train and test splits must have one image size");
            return;
        }
    }

    /**
     * The first image of the folder {@code dir} (of either split) stored in colour, which makes the whole set RGB,
     * or null if it is grey.
     */
    static Path firstStoredInColour(Path dir) {
        return firstStoredInColour(imageFolders(dir, explicitSplits(subfolders(dir))));
    }

    /** The folders whose images make up the data of both splits, read or not: class and unlabelled folders. */
    private static List<Path> imageFolders(Path dir, boolean explicit) {
        if (!explicit) return subfolders(dir);
        List<Path> out = new ArrayList<>();
        for (String split : List.of("test", "train")) out.addAll(subfolders(dir.resolve(split)));
        if (Files.isDirectory(dir.resolve(UNLABELLED))) out.add(dir.resolve(UNLABELLED));
        return out;
    }

    /**
     * The first folder whose images this layout reads (a class folder, of either split, or an unlabelled one) that holds
     * one, or null: a sub-folder without images (notes kept beside IDX or NPY files) makes no image set.
     */
    static Path firstFolderWithImages(Path dir) {
        for (Path folder : imageFolders(dir, explicitSplits(subfolders(dir)))) if (!images(folder).isEmpty()) return folder;
        return null;
    }

    /** The first image of {@code folders} stored in colour (its header says so), or null. */
    private static Path firstStoredInColour(List<Path> folders) {
        for (Path folder : folders) {
            for (Path image : images(folder)) if (ImageFiles.storedInColour(image)) return image;
        }
        return null;
    }

    /** The class folders' names: every visible sub-folder but {@value #UNLABELLED}. */
    /** unlabeled/ (STL-10's spelling) or Unlabelled/ would be trained as one more class, its images labelled with it. */
    private static void refuseMisspeltUnlabelled(Path root, List<String> classes) {
        for (String c : classes) {
            if (UNLABELLED_SPELLINGS.contains(c.toLowerCase(java.util.Locale.ROOT))) {
                throw new FormatException(root.resolve(c), "is read as a class of that name, but images without a label go in a folder"
                        + " named exactly " + UNLABELLED + "/: rename it (to " + UNLABELLED + ", or for a class, to another name)");
            }
        }
    }

    private static List<String> classNames(Path dir) {
        return subfolders(dir).stream().map(p -> p.getFileName().toString()).filter(c -> !c.equals(UNLABELLED)).toList();
    }

    /**
     * The first sub-folder of {@code dir} that holds an image, as a class folder (dir/c/x.png) or a split's
     * (dir/train/c/x.png) does, or null: sub-folders without images (empty, or of other files) make no dataset, and
     * nor does one this process may not read (lost+found on a mounted disk), which no reader of ours could take either.
     */
    static Path subfolderWithImages(Path dir) {
        for (Path sub : subfolders(dir)) {
            if (!Files.isReadable(sub)) continue;
            if (!images(sub).isEmpty()) return sub;
            for (Path inner : subfolders(sub)) {
                if (Files.isReadable(inner) && !images(inner).isEmpty()) return sub;
            }
        }
        return null;
    }

    private static List<Path> subfolders(Path dir) {
        return sorted(dir, Files::isDirectory);
    }

    /**
     * Every entry named as an image but a folder: a link to nothing or a FIFO named so is refused when read, not left
     * out of its class unseen.
     */
    private static List<Path> images(Path dir) {
        return sorted(dir, p -> ImageFiles.isImage(p) && !Files.isDirectory(p));
    }

    private static List<Path> sorted(Path dir, java.util.function.Predicate<Path> keep) {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            entries.filter(p -> !p.getFileName().toString().startsWith(".")).filter(keep).forEach(out::add);
        } catch (IOException e) {
            throw new NvaeException(dir + ": cannot list: " + IoErrors.reason(e), e);
        }
        out.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        return out;
    }
}
