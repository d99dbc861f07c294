/*
 * The simulator's jujuc: the program every hook-tool name links to. Like Juju's own client
 * (cmd/jujuc/main.go in juju/juju) it holds no logic. It sends the tool's name, arguments,
 * working directory and context id to the unit agent over JUJU_AGENT_SOCKET_ADDRESS, prints the
 * agent's stdout and stderr, and exits with the agent's code. Stdin is read only when the agent
 * answers that the tool needs it ("--file -"), and the request is sent again with it, as jujuc
 * does on ErrNoStdin.
 *
 * Written in C because a hook makes dozens of tool calls and a Node.js client cost ~50 ms of
 * start-up each; this one costs about a millisecond.
 *
 * Frames (all integers are 32-bit big-endian):
 *   request:  "JUJUC1", field count, then each field as length + bytes:
 *             context id, dir, command name, stdin-set ("0"/"1"), stdin, args...
 *   response: kind 0, exit code, stdout length + bytes, stderr length + bytes
 *          or kind 1, error length + bytes (an RPC error, such as the stdin request)
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define NO_STDIN "hook tool requires stdin, none supplied"

static void fail(const char *message) {
  fprintf(stderr, "ERROR %s\n", message);
  exit(1);
}

static const char *required_env(const char *name) {
  const char *value = getenv(name);
  if (value == NULL || value[0] == '\0') {
    fprintf(stderr, "ERROR %s not set\n", name);
    exit(1);
  }
  return value;
}

struct buffer {
  char *data;
  size_t length;
  size_t capacity;
};

static void append(struct buffer *b, const void *data, size_t length) {
  if (b->length + length > b->capacity) {
    size_t capacity = b->capacity == 0 ? 4096 : b->capacity;
    while (capacity < b->length + length) capacity *= 2;
    char *grown = realloc(b->data, capacity);
    if (grown == NULL) fail("out of memory");
    b->data = grown;
    b->capacity = capacity;
  }
  memcpy(b->data + b->length, data, length);
  b->length += length;
}

static void append_u32(struct buffer *b, uint32_t value) {
  unsigned char bytes[4] = {value >> 24, value >> 16, value >> 8, value};
  append(b, bytes, 4);
}

static void append_field(struct buffer *b, const char *data, size_t length) {
  if (length > UINT32_MAX) fail("argument too long");
  append_u32(b, (uint32_t)length);
  append(b, data, length);
}

static void write_all(int fd, const char *data, size_t length) {
  while (length > 0) {
    ssize_t n = write(fd, data, length);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (fd == STDOUT_FILENO || fd == STDERR_FILENO) return; /* a closed pipe: drop, as Go does */
      fail("cannot write to the agent socket");
    }
    data += n;
    length -= (size_t)n;
  }
}

static void read_exact(int fd, void *into, size_t length) {
  char *at = into;
  while (length > 0) {
    ssize_t n = read(fd, at, length);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail("connection to the unit agent closed");
    at += n;
    length -= (size_t)n;
  }
}

static uint32_t read_u32(int fd) {
  unsigned char bytes[4];
  read_exact(fd, bytes, 4);
  return ((uint32_t)bytes[0] << 24) | ((uint32_t)bytes[1] << 16) | ((uint32_t)bytes[2] << 8) |
         bytes[3];
}

static char *read_field(int fd, uint32_t *length) {
  *length = read_u32(fd);
  char *data = malloc((size_t)*length + 1);
  if (data == NULL) fail("out of memory");
  read_exact(fd, data, *length);
  data[*length] = '\0';
  return data;
}

static struct buffer read_stdin(void) {
  struct buffer b = {0};
  char chunk[65536];
  for (;;) {
    ssize_t n = read(STDIN_FILENO, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("cannot read stdin");
    if (n == 0) return b;
    append(&b, chunk, (size_t)n);
  }
}

static void send_request(int fd, const char *context, const char *dir, const char *name, int argc,
                         char **argv, const struct buffer *stdin_data) {
  struct buffer b = {0};
  append(&b, "JUJUC1", 6);
  append_u32(&b, (uint32_t)(5 + argc));
  append_field(&b, context, strlen(context));
  append_field(&b, dir, strlen(dir));
  append_field(&b, name, strlen(name));
  append_field(&b, stdin_data == NULL ? "0" : "1", 1);
  if (stdin_data == NULL) append_field(&b, "", 0);
  else append_field(&b, stdin_data->data == NULL ? "" : stdin_data->data, stdin_data->length);
  for (int i = 0; i < argc; i++) append_field(&b, argv[i], strlen(argv[i]));
  write_all(fd, b.data, b.length);
  free(b.data);
}

int main(int argc, char **argv) {
  const char *slash = strrchr(argv[0], '/');
  const char *name = slash == NULL ? argv[0] : slash + 1;
  const char *context = required_env("JUJU_CONTEXT_ID");
  char dir[PATH_MAX];
  if (getcwd(dir, sizeof dir) == NULL) fail("cannot read the working directory");
  const char *address = required_env("JUJU_AGENT_SOCKET_ADDRESS");
  const char *network = required_env("JUJU_AGENT_SOCKET_NETWORK");
  if (strcmp(network, "unix") != 0) fail("the simulator's agent listens on unix sockets only");

  struct sockaddr_un socket_address = {.sun_family = AF_UNIX};
  if (strlen(address) >= sizeof socket_address.sun_path) fail("socket address too long");
  strcpy(socket_address.sun_path, address);
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  if (fd < 0) fail("cannot make a socket");
  if (connect(fd, (struct sockaddr *)&socket_address, sizeof socket_address) != 0) {
    fprintf(stderr, "ERROR dial unix %s: connect: %s\n", address, strerror(errno));
    return 1;
  }

  struct buffer stdin_data;
  const struct buffer *sent_stdin = NULL;
  for (;;) {
    send_request(fd, context, dir, name, argc - 1, argv + 1, sent_stdin);
    uint32_t kind = read_u32(fd);
    if (kind == 0) {
      int code = (int)(int32_t)read_u32(fd);
      uint32_t length;
      char *out = read_field(fd, &length);
      write_all(STDOUT_FILENO, out, length);
      char *err = read_field(fd, &length);
      write_all(STDERR_FILENO, err, length);
      return code;
    }
    uint32_t length;
    char *message = read_field(fd, &length);
    if (sent_stdin == NULL && strcmp(message, NO_STDIN) == 0) {
      stdin_data = read_stdin();
      sent_stdin = &stdin_data;
      continue;
    }
    fail(message);
  }
}
