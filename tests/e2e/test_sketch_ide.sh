#!/usr/bin/env bash
# The sketch opens and builds unmodified in the Arduino IDE.  Running the IDE
# (Debian's arduino pulls ~200 MB of Java) is too slow for every CI run; this
# stands in for it: a copy of firmware/spiflash/ alone, away from the
# repository, must have every quoted #include resolve inside the folder (as
# the IDE copies only the sketch folder, src/ included), angle includes only
# from the Arduino core, SPI and avr-libc, and must compile the way the IDE
# does (.ino as C++ with Arduino.h included first; src/ compiled too) with
# no -I into the repository, and link against the Uno core.
set -u
. tests/e2e/lib.sh

ARDUINO_DIR=${ARDUINO_DIR:-/usr/share/arduino/hardware/arduino/avr}
S=$E2E_TMP/spiflash
cp -r firmware/spiflash "$S"
allowed='^(Arduino\.h|SPI\.h|avr/[a-z0-9_]+\.h|util/[a-z0-9_]+\.h|std(int|def|bool|lib|io)\.h|string\.h)$'
bad=
while IFS= read -r f; do
	dir=$(dirname "$f")
	while IFS= read -r inc; do
		case $inc in
		\"*) name=${inc#\"}; name=${name%\"}
		     [ -f "$dir/$name" ] || [ -f "$S/$name" ] || bad="$bad $f:$name" ;;
		\<*) name=${inc#<}; name=${name%>}
		     [[ $name =~ $allowed ]] || bad="$bad $f:<$name>" ;;
		esac
	done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*\([<"][^>"]*[>"]\).*/\1/p' "$f")
done < <(find "$S" -type f \( -name '*.ino' -o -name '*.c' -o -name '*.cpp' -o -name '*.h' \))
check "every #include resolves inside the sketch folder or to the core, SPI, avr-libc${bad:+:$bad}" test -z "$bad"
check "no file outside the folder is named (no ../)" \
	test -z "$(grep -rn '#include *"\.\./' "$S")"
check "one .ino, named after its folder" test "$(ls "$S"/*.ino)" = "$S/spiflash.ino"

flags="-mmcu=atmega328p -Os -DF_CPU=16000000L -DARDUINO=10807 -DARDUINO_AVR_UNO -DARDUINO_ARCH_AVR
	-I$ARDUINO_DIR/cores/arduino -I$ARDUINO_DIR/variants/standard -I$ARDUINO_DIR/libraries/SPI/src
	-ffunction-sections -fdata-sections"
objs=()
ok_build=1
cd "$S" || exit 1
# the IDE turns the .ino into .cpp with Arduino.h first (and prototypes,
# which a sketch that compiles without them does not need)
avr-g++ $flags -std=gnu++11 -fno-exceptions -fno-threadsafe-statics -x c++ -include Arduino.h \
	-c spiflash.ino -o "$E2E_TMP/ino.o" 2>"$E2E_TMP/cc.err" || ok_build=0
objs+=("$E2E_TMP/ino.o")
for f in src/*.c src/*.cpp; do
	[ -e "$f" ] || continue
	o=$E2E_TMP/$(basename "$f").o
	case $f in
	*.c) avr-gcc $flags -std=gnu11 -c "$f" -o "$o" 2>>"$E2E_TMP/cc.err" || ok_build=0 ;;
	*) avr-g++ $flags -std=gnu++11 -fno-exceptions -fno-threadsafe-statics -c "$f" -o "$o" \
		2>>"$E2E_TMP/cc.err" || ok_build=0 ;;
	esac
	objs+=("$o")
done
cd - >/dev/null || exit 1
check "the copied folder compiles as the IDE would$( [ $ok_build = 1 ] || head -c 300 "$E2E_TMP/cc.err")" \
	test $ok_build = 1
if [ -f build/fw-uno/core.a ] && [ -f build/fw-uno/SPI.cpp.o ]; then
	check "and links with the Uno core and SPI" \
		avr-gcc -mmcu=atmega328p -Os -Wl,--gc-sections -o "$E2E_TMP/ide.elf" "${objs[@]}" \
		build/fw-uno/SPI.cpp.o build/fw-uno/core.a -lm
fi
e2e_summary
