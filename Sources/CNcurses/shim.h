#ifndef CNCURSES_SHIM_H
#define CNCURSES_SHIM_H
/* Wide-character curses (ncursesw). Swift cannot see C globals (stdscr, COLS, LINES) or
   function-like macros (A_*, COLOR_PAIR, KEY_F): each one is wrapped in a static inline function. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <wchar.h>
#if defined(__has_include)
#  if __has_include(<ncursesw/ncurses.h>)
#    include <ncursesw/ncurses.h>
#  else
#    include <ncurses.h>
#  endif
#else
#  include <ncurses.h>
#endif

/* Globals */
static inline WINDOW *fn_stdscr(void) { return stdscr; }
static inline int cn_cols(void) { return COLS; }
static inline int cn_lines(void) { return LINES; }
static inline int cn_colors(void) { return COLORS; }
static inline int cn_color_pairs(void) { return COLOR_PAIRS; }
static inline int cn_getmaxx(void) { return getmaxx(stdscr); }
static inline int cn_getmaxy(void) { return getmaxy(stdscr); }

/* Attributes */
static inline attr_t cn_attr_normal(void) { return A_NORMAL; }
static inline attr_t cn_attr_bold(void) { return A_BOLD; }
static inline attr_t cn_attr_reverse(void) { return A_REVERSE; }
static inline attr_t cn_attr_underline(void) { return A_UNDERLINE; }
static inline attr_t cn_attr_dim(void) { return A_DIM; }
static inline attr_t cn_color_pair(int n) { return (attr_t)COLOR_PAIR(n); }
static inline int cn_attrset(attr_t a) { return wattrset(stdscr, (int)a); }

/* Keys and results */
static inline int cn_err(void) { return ERR; }
static inline int cn_ok(void) { return OK; }
static inline int cn_key_code_yes(void) { return KEY_CODE_YES; }
static inline int cn_key_resize(void) { return KEY_RESIZE; }
static inline int cn_key_f(int n) { return KEY_F(n); }

/* Cells curses gives one code point (wcwidth is hidden without _XOPEN_SOURCE, which SwiftPM does not pass). */
extern int wcwidth(wchar_t c);
static inline int cn_wcwidth(wchar_t c) { return wcwidth(c); }

/* Drawing */
static inline int cn_mvaddstr(int y, int x, const char *s) { return mvwaddstr(stdscr, y, x, s); }
static inline int cn_mvaddnwstr(int y, int x, const wchar_t *s, int n) { return mvwaddnwstr(stdscr, y, x, s, n); }
static inline int cn_move(int y, int x) { return wmove(stdscr, y, x); }
#endif
