# fish completion for urun(8): commands, global and per-command options,
# option values, and container ids from `urun list -q` (honouring a --root
# given earlier on the line).

set -l urun_commands create start run exec kill delete state list ps pause resume update events spec features doctor gc checkpoint restore

# Global options that take a value, which the scan below must skip.
function __urun_global_takes_value
    contains -- $argv[1] --root --log --log-format --log-level --cgroup-manager --rootless
end

# Prints the command on the line so far, or nothing.
function __urun_command
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l skip 0
    for t in $tokens
        if test $skip -eq 1
            set skip 0
            continue
        end
        switch $t
            case '--*=*'
            case '-*'
                if __urun_global_takes_value $t
                    set skip 1
                end
            case '*'
                echo $t
                return 0
        end
    end
    return 1
end

function __urun_no_command
    not __urun_command >/dev/null
end

function __urun_using
    set -l cmd (__urun_command)
    and contains -- $cmd $argv
end

# Number of positional arguments after the command, so far.
function __urun_npos
    set -l tokens (commandline -opc)
    set -l seen 0
    set -l n 0
    set -l skip 0
    set -l cmd (__urun_command)
    set -e tokens[1]
    for t in $tokens
        if test $skip -eq 1
            set skip 0
            continue
        end
        if test $seen -eq 0
            switch $t
                case '--*=*'
                case '-*'
                    __urun_global_takes_value $t; and set skip 1
                case '*'
                    set seen 1
            end
            continue
        end
        switch $t
            case '--*=*'
            case '-*'
                # Command options that take a separate value.
                if contains -- $t -b --bundle --console-socket --pid-file --preserve-fds --unit --slice --description --cwd -e --env -u --user -g --additional-gids --process-label --apparmor -c --cap --cgroup -r --resources --memory --memory-swap --memory-reservation --kernel-memory --kernel-memory-tcp --pids-limit --cpu-quota --cpu-period --cpu-share --cpu-rt-period --cpu-rt-runtime --cpuset-cpus --cpuset-mems --blkio-weight --l3-cache-schema --mem-bw-schema --interval --image-path --work-path --parent-path --status-fd --page-server --manage-cgroups-mode --empty-ns --lsm-profile --lsm-mount-context
                    set skip 1
                else if contains -- $t -p -f
                    # -p: --property/--process, -f: --format (not delete's --force).
                    if test "$cmd" != delete
                        set skip 1
                    end
                end
            case '*'
                set n (math $n + 1)
        end
    end
    echo $n
end

function __urun_ids
    set -l tokens (commandline -opc)
    set -l prog $tokens[1]
    set -l root
    set -l i 2
    while test $i -le (count $tokens)
        switch $tokens[$i]
            case '--root=*'
                set root (string replace -- --root= '' $tokens[$i])
            case --root
                set -l j (math $i + 1)
                set root $tokens[$j]
        end
        set i (math $i + 1)
    end
    if test -n "$root"
        $prog --root $root list -q 2>/dev/null
    else
        $prog list -q 2>/dev/null
    end
end

# True when the next word would be the first positional argument of one of
# the commands in $argv.
function __urun_wants_id
    __urun_using $argv; and test (__urun_npos) -eq 0
end

complete -c urun -f

# Global options.
complete -c urun -n __urun_no_command -l root -r -a '(__fish_complete_directories)' -d 'Directory for container state'
complete -c urun -n __urun_no_command -l log -r -F -d 'Also write log records to FILE'
complete -c urun -n __urun_no_command -l log-format -x -a 'text json' -d 'Format of the log file'
complete -c urun -n __urun_no_command -l log-level -x -a 'error warning info debug' -d 'Least severe level to log'
complete -c urun -n __urun_no_command -l debug -d 'Log at debug level'
complete -c urun -n __urun_no_command -l systemd-cgroup -d 'Use systemd for cgroups'
complete -c urun -n __urun_no_command -l cgroup-manager -x -a 'systemd cgroupfs disabled' -d 'Cgroup manager'
complete -c urun -n __urun_no_command -l rootless -x -a 'true false auto' -d 'Rootless mode'
complete -c urun -n __urun_no_command -s v -l version -d 'Print the version'
complete -c urun -n __urun_no_command -s h -l help -d 'Show help'

# Commands.
complete -c urun -n __urun_no_command -a create -d 'Create a container from a bundle'
complete -c urun -n __urun_no_command -a start -d 'Run the process of a created container'
complete -c urun -n __urun_no_command -a run -d 'Create and start a container'
complete -c urun -n __urun_no_command -a exec -d 'Run a new process in a running container'
complete -c urun -n __urun_no_command -a kill -d 'Send a signal to a container'
complete -c urun -n __urun_no_command -a delete -d 'Delete containers'
complete -c urun -n __urun_no_command -a state -d 'Print the state of a container'
complete -c urun -n __urun_no_command -a list -d 'List the containers'
complete -c urun -n __urun_no_command -a ps -d 'List the processes of a container'
complete -c urun -n __urun_no_command -a pause -d 'Freeze a container'
complete -c urun -n __urun_no_command -a resume -d 'Thaw a paused container'
complete -c urun -n __urun_no_command -a update -d 'Change resource limits'
complete -c urun -n __urun_no_command -a events -d 'Show statistics and events'
complete -c urun -n __urun_no_command -a spec -d 'Write a default config.json'
complete -c urun -n __urun_no_command -a features -d 'Print supported features'
complete -c urun -n __urun_no_command -a doctor -d 'Check what containers need here'
complete -c urun -n __urun_no_command -a gc -d 'Remove what stopped containers left'
complete -c urun -n __urun_no_command -a checkpoint -d 'Checkpoint a container (unsupported)'
complete -c urun -n __urun_no_command -a restore -d 'Restore a container (unsupported)'

complete -c urun -n "__fish_seen_subcommand_from $urun_commands" -s h -l help -d 'Show help'

# Container ids.
complete -c urun -n '__urun_wants_id start state pause resume kill ps exec update events checkpoint' -a '(__urun_ids)' -d Container
complete -c urun -n '__urun_using delete' -a '(__urun_ids)' -d Container
complete -c urun -n '__urun_using kill; and test (__urun_npos) -eq 1' -a 'HUP INT QUIT KILL USR1 USR2 TERM STOP CONT WINCH' -d Signal

# create and run.
set -l cr '__urun_using create run'
complete -c urun -n $cr -s b -l bundle -r -a '(__fish_complete_directories)' -d 'Bundle directory'
complete -c urun -n $cr -l console-socket -r -F -d 'Socket that receives the pty master'
complete -c urun -n $cr -l pid-file -r -F -d 'Write the init pid to FILE'
complete -c urun -n $cr -l no-pivot -d 'Use chroot instead of pivot_root'
complete -c urun -n $cr -l no-new-keyring -d 'Keep the caller\'s session keyring'
complete -c urun -n $cr -l preserve-fds -x -d 'Extra file descriptors to pass'
complete -c urun -n $cr -l unit -x -d 'Name of the systemd scope unit'
complete -c urun -n $cr -l slice -x -d 'systemd slice of the scope'
complete -c urun -n $cr -s p -l property -x -d 'Scope unit property NAME=VALUE'
complete -c urun -n $cr -l description -x -d 'Description of the scope unit'
complete -c urun -n $cr -l collect -d 'Unload the unit even if it failed'
complete -c urun -n '__urun_using run' -l no-subreaper -d 'Do not become a child subreaper'
complete -c urun -n '__urun_using run' -s d -l detach -d 'Return once the container runs'
complete -c urun -n '__urun_using run' -l keep -d 'Keep the container after it exits'
complete -c urun -n '__urun_using run' -l rootfs -r -a '(__fish_complete_directories)' -d 'Run in this root file system, no bundle'
complete -c urun -n '__urun_using run' -l name -x -d 'Container id with --rootfs'
complete -c urun -n '__urun_using run' -s t -l tty -d 'Give the command a terminal'
complete -c urun -n '__urun_using run' -l bind -r -F -d 'Bind SRC:DST[:ro]'
complete -c urun -n '__urun_using run' -s e -l env -x -d 'Environment variable NAME=VALUE'
complete -c urun -n '__urun_using run' -s w -l workdir -x -d 'Working directory in the container'
complete -c urun -n '__urun_using run' -s u -l user -x -d 'UID[:GID] to run as'
complete -c urun -n '__urun_using run' -l network -x -a 'none host' -d 'Network namespace'
complete -c urun -n '__urun_using doctor' -l json -d 'Print the checks as JSON'
complete -c urun -n '__urun_using gc' -s n -l dry-run -d 'Only print what would be removed'

# exec.
set -l ex '__urun_using exec; and test (__urun_npos) -eq 0'
complete -c urun -n $ex -l console-socket -r -F -d 'Socket that receives the pty master'
complete -c urun -n $ex -l cwd -x -d 'Working directory in the container'
complete -c urun -n $ex -s e -l env -x -d 'Environment variable NAME=VALUE'
complete -c urun -n $ex -s t -l tty -d 'Allocate a pseudo-terminal'
complete -c urun -n $ex -s u -l user -x -d 'UID[:GID] to run as'
complete -c urun -n $ex -s g -l additional-gids -x -d 'Supplementary group'
complete -c urun -n $ex -s p -l process -r -F -d 'process.json to run'
complete -c urun -n $ex -s d -l detach -d 'Do not wait for the process'
complete -c urun -n $ex -l pid-file -r -F -d 'Write the pid to FILE'
complete -c urun -n $ex -l process-label -x -d 'SELinux label'
complete -c urun -n $ex -l apparmor -x -d 'AppArmor profile'
complete -c urun -n $ex -l no-new-privs -d 'Set no_new_privs'
complete -c urun -n $ex -s c -l cap -x -d 'Add a capability'
complete -c urun -n $ex -l preserve-fds -x -d 'Extra file descriptors to pass'
complete -c urun -n $ex -l cgroup -x -d 'Sub-cgroup to run in'
complete -c urun -n $ex -l ignore-paused -d 'Allow exec into a paused container'

# kill, delete, list, ps.
complete -c urun -n '__urun_using kill' -s a -l all -d 'Signal every process'
complete -c urun -n '__urun_using delete' -s f -l force -d 'Kill and delete whatever the state'
complete -c urun -n '__urun_using list' -s f -l format -x -a 'table json' -d 'Output format'
complete -c urun -n '__urun_using list' -s q -l quiet -d 'Print only the ids'
complete -c urun -n '__urun_using ps; and test (__urun_npos) -eq 0' -s f -l format -x -a 'table json' -d 'Output format'

# update.
set -l up '__urun_using update'
complete -c urun -n $up -s r -l resources -r -F -d 'JSON resources file (- for stdin)'
complete -c urun -n $up -l memory -x -d 'Memory limit'
complete -c urun -n $up -l memory-swap -x -d 'Memory plus swap limit'
complete -c urun -n $up -l memory-reservation -x -d 'Soft memory limit'
complete -c urun -n $up -l kernel-memory -x -d 'Kernel memory limit (cgroup v1)'
complete -c urun -n $up -l kernel-memory-tcp -x -d 'Kernel TCP buffer limit (cgroup v1)'
complete -c urun -n $up -l pids-limit -x -d 'Maximum number of processes'
complete -c urun -n $up -l cpu-quota -x -d 'CPU time per period (µs)'
complete -c urun -n $up -l cpu-period -x -d 'CPU quota period (µs)'
complete -c urun -n $up -l cpu-share -x -d 'Relative CPU weight'
complete -c urun -n $up -l cpu-rt-period -x -d 'Real-time period (µs)'
complete -c urun -n $up -l cpu-rt-runtime -x -d 'Real-time run time (µs)'
complete -c urun -n $up -l cpuset-cpus -x -d 'CPUs to run on'
complete -c urun -n $up -l cpuset-mems -x -d 'Memory nodes to use'
complete -c urun -n $up -l blkio-weight -x -d 'Block I/O weight (10-1000)'
complete -c urun -n $up -l l3-cache-schema -x -d 'Intel RDT L3 cache schema'
complete -c urun -n $up -l mem-bw-schema -x -d 'Intel RDT memory bandwidth schema'

# events, spec.
complete -c urun -n '__urun_using events' -l stats -d 'Print statistics once'
complete -c urun -n '__urun_using events' -l interval -x -d 'Time between statistics'
complete -c urun -n '__urun_using spec' -s b -l bundle -r -a '(__fish_complete_directories)' -d 'Bundle directory'
complete -c urun -n '__urun_using spec' -l rootless -d 'Configuration for an unprivileged user'

# checkpoint and restore (unsupported; the options are accepted).
set -l cp '__urun_using checkpoint restore'
complete -c urun -n $cp -l image-path -r -a '(__fish_complete_directories)' -d 'Image directory'
complete -c urun -n $cp -l work-path -r -a '(__fish_complete_directories)' -d 'Work directory'
complete -c urun -n $cp -l tcp-established -d 'Allow open TCP connections'
complete -c urun -n $cp -l ext-unix-sk -d 'Allow external Unix sockets'
complete -c urun -n $cp -l shell-job -d 'Allow shell jobs'
complete -c urun -n $cp -l file-locks -d 'Allow file locks'
complete -c urun -n $cp -l lazy-pages -d 'Transfer memory pages lazily'
complete -c urun -n $cp -l manage-cgroups-mode -x -a 'soft full strict ignore' -d 'Cgroup handling'
complete -c urun -n $cp -l empty-ns -x -a 'cgroup ipc mount network pid user uts' -d 'Namespace to leave empty'
complete -c urun -n $cp -l auto-dedup -d 'Deduplicate memory pages'
set -l ck '__urun_using checkpoint'
complete -c urun -n $ck -l parent-path -r -a '(__fish_complete_directories)' -d 'Images of a previous pre-dump'
complete -c urun -n $ck -l leave-running -d 'Leave the container running'
complete -c urun -n $ck -l status-fd -x -d 'FD to signal readiness on'
complete -c urun -n $ck -l page-server -x -d 'CRIU page server ADDRESS:PORT'
complete -c urun -n $ck -l pre-dump -d 'Dump only the memory'
set -l rs '__urun_using restore'
complete -c urun -n $rs -s b -l bundle -r -a '(__fish_complete_directories)' -d 'Bundle directory'
complete -c urun -n $rs -l console-socket -r -F -d 'Socket that receives the pty master'
complete -c urun -n $rs -l pid-file -r -F -d 'Write the init pid to FILE'
complete -c urun -n $rs -s d -l detach -d 'Do not wait for the container'
complete -c urun -n $rs -l no-pivot -d 'Use chroot instead of pivot_root'
complete -c urun -n $rs -l no-subreaper -d 'Do not become a child subreaper'
complete -c urun -n $rs -l lsm-profile -x -d 'LSM profile TYPE:LABEL'
complete -c urun -n $rs -l lsm-mount-context -x -d 'SELinux mount context'
