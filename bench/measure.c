/*
 * measure — run a command with stdin and stdout redirected and print its
 * wall time in seconds and peak resident memory in KiB:
 * bench/measure IN OUT CMD [ARG...]   ("-" keeps stdin or stdout)
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char *argv[])
{
	struct rusage ru;
	double t0;
	pid_t pid;
	int status;

	if (argc < 4) {
		fprintf(stderr, "usage: measure IN OUT CMD [ARG...]\n");
		return 2;
	}
	t0 = now();
	if ((pid = fork()) == 0) {
		if (strcmp(argv[1], "-") != 0)
			dup2(open(argv[1], O_RDONLY), 0);
		if (strcmp(argv[2], "-") != 0)
			dup2(open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644),
			    1);
		execvp(argv[3], argv + 3);
		_exit(127);
	}
	wait4(pid, &status, 0, &ru);
	printf("%.6f %ld\n", now() - t0, ru.ru_maxrss);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
