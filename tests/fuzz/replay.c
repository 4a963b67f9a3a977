/*
 * Replay a fuzz target without libFuzzer: make test links each
 * tests/fuzz/fuzz_NAME.c with this main() into build/tests/t_fuzz_NAME,
 * which feeds it every file of tests/data/fuzz/fuzz_NAME/ (the inputs
 * that once crashed it, and a few seeds) and prints one TAP line per
 * file.  A crash or a failed invariant aborts, which the suite counts
 * as a failure.  Files named on the command line replace the directory.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int LLVMFuzzerInitialize(int *, char ***) __attribute__((__weak__));

static int
replay(const char *path)
{
	struct stat st;
	uint8_t *data;
	size_t n;
	FILE *fp;

	if ((fp = fopen(path, "rb")) == NULL || fstat(fileno(fp), &st) != 0) {
		perror(path);
		if (fp != NULL)
			fclose(fp);
		return 0;
	}
	n = (size_t)st.st_size;
	if ((data = malloc(n > 0 ? n : 1)) == NULL ||
	    fread(data, 1, n, fp) != n) {
		perror(path);
		free(data);
		fclose(fp);
		return 0;
	}
	fclose(fp);
	LLVMFuzzerTestOneInput(data, n);
	free(data);
	return 1;
}

int
main(int argc, char *argv[])
{
	struct dirent **ents;
	char dir[512], path[1024];
	const char *name;
	int i, n, t;

	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	name = strrchr(argv[0], '/');
	name = name != NULL ? name + 1 : argv[0];
	if (strncmp(name, "t_", 2) == 0)
		name += 2;
	t = 0;
	for (i = 1; i < argc; i++) {
		t++;
		printf("%sok %d - %s: %s\n", replay(argv[i]) ? "" : "not ", t,
		    name, argv[i]);
		fflush(stdout);
	}
	if (argc > 1)
		return 0;
	snprintf(dir, sizeof(dir), "tests/data/fuzz/%s", name);
	if ((n = scandir(dir, &ents, NULL, alphasort)) < 0) {
		printf("ok 1 - %s # SKIP no inputs in %s\n", name, dir);
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (ents[i]->d_name[0] != '.') {
			snprintf(
			    path, sizeof(path), "%s/%s", dir, ents[i]->d_name);
			t++;
			printf("%sok %d - %s: %s\n", replay(path) ? "" : "not ",
			    t, name, ents[i]->d_name);
			fflush(stdout);
		}
		free(ents[i]);
	}
	free(ents);
	if (t == 0)
		printf("ok 1 - %s # SKIP no inputs in %s\n", name, dir);
	return 0;
}
