#!/bin/sh
# Run by mmdebstrap (--customize-hook) with the new root as $1 and the guest files in $2:
# what turns a Debian bookworm + FRR tree into a lab node that boots without a bootloader.
set -eu
root=$1
files=$2

# One ext4 labelled lab-root, no swap: the whole virtio disk (qemu, libvirt) or the second partition of
# the BIOS-bootable disk (VirtualBox: IDE, /dev/sda2), so by label.
printf 'LABEL=lab-root / ext4 rw,noatime,errors=remount-ro 0 1\n' > "$root/etc/fstab"
echo lab-node > "$root/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tlab-node\n::1\tlocalhost ip6-localhost ip6-loopback\n' > "$root/etc/hosts"

# A small initrd: only the modules needed to mount root (the cloud kernel has them as modules): a
# virtio disk (qemu, libvirt), or an IDE disk on VirtualBox's PIIX4 (the cloud kernel has no AHCI).
printf 'MODULES=list\nCOMPRESS=zstd\n' > "$root/etc/initramfs-tools/conf.d/lab.conf"
printf 'virtio_pci\nvirtio_blk\nvirtio_net\next4\nata_piix\nsd_mod\n' > "$root/etc/initramfs-tools/modules"
chroot "$root" update-initramfs -u -k all

# The node's configuration arrives at boot (lab-apply); fw_cfg's sysfs driver loads early.
install -m 0755 "$files/lab-boot.sh" "$root/usr/local/sbin/lab-boot"
install -m 0644 "$files/lab-apply.service" "$root/etc/systemd/system/lab-apply.service"
echo qemu_fw_cfg > "$root/etc/modules-load.d/lab.conf"
chroot "$root" systemctl enable lab-apply.service systemd-networkd.service frr.service ssh.service networking.service

# FRR only where the node has a frr.conf (lab-apply leaves /run/lab/no-frr otherwise).
mkdir -p "$root/etc/systemd/system/frr.service.d"
printf '[Unit]\nConditionPathExists=!/run/lab/no-frr\nAfter=lab-apply.service\n' > "$root/etc/systemd/system/frr.service.d/lab.conf"

# Routers forward (Debian leaves it off; host-to-host pings then fail with correct routes).
printf 'net.ipv4.ip_forward=1\nnet.ipv6.conf.all.forwarding=1\n' > "$root/etc/sysctl.d/60-lab.conf"

# SSH: key only, for user lab (sudo without password), as lab's key pair in the box directory says.
chroot "$root" useradd --create-home --shell /bin/bash --groups sudo,frrvty,frr lab
chroot "$root" passwd --lock lab
chroot "$root" passwd --lock root
install -d -m 0700 -o 1000 -g 1000 "$root/home/lab/.ssh"
install -m 0600 "$files/id_ed25519.pub" "$root/home/lab/.ssh/authorized_keys"
chroot "$root" chown -R lab:lab /home/lab/.ssh
printf 'lab ALL=(ALL) NOPASSWD: ALL\n' > "$root/etc/sudoers.d/lab"
chmod 0440 "$root/etc/sudoers.d/lab"
cat > "$root/etc/ssh/sshd_config.d/lab.conf" <<'CONF'
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
UseDNS no
MaxSessions 64
MaxStartups 64:30:128
CONF
# One host key for the box, generated here and pinned by lab (host_ed25519.pub in the box directory).
rm -f "$root"/etc/ssh/ssh_host_*
install -m 0600 "$files/host_ed25519" "$root/etc/ssh/ssh_host_ed25519_key"
install -m 0644 "$files/host_ed25519.pub" "$root/etc/ssh/ssh_host_ed25519_key.pub"
printf 'HostKey /etc/ssh/ssh_host_ed25519_key\n' >> "$root/etc/ssh/sshd_config.d/lab.conf"

# Without lab's fw_cfg tarball (a Vagrant VM) the management NIC asks DHCP, as on any Vagrant box, and
# the rendered provision.sh configures the rest. ifupdown2 does it, so that a switch's rendered
# `interfaces` (eth0 dhcp too) finds eth0 as it is. lab-apply replaces this file, or skips ifupdown2.
printf 'auto lo\niface lo inet loopback\n\nauto eth0\niface eth0 inet dhcp\n' > "$root/etc/network/interfaces"

# ifupdown2 (Python: 17 s alone under TCG, 80 s with six VMs on two cores) only where the node has a
# rendered `interfaces` file; hosts get their netplan file applied by systemd-networkd.
mkdir -p "$root/etc/systemd/system/networking.service.d"
printf '[Unit]\nConditionPathExists=!/run/lab/no-ifupdown2\nAfter=lab-apply.service\n' > "$root/etc/systemd/system/networking.service.d/lab.conf"

# Boot quicker under TCG: no timers or services a lab node never needs (logind: SSH sessions work
# without it, pam_systemd is optional; module loads and mounts nothing here uses).
for unit in apt-daily.timer apt-daily-upgrade.timer man-db.timer e2scrub_all.timer e2scrub_reap.service fstrim.timer \
  systemd-networkd-wait-online.service getty@tty1.service systemd-logind.service systemd-random-seed.service \
  modprobe@drm.service modprobe@dm_mod.service modprobe@fuse.service modprobe@configfs.service modprobe@efi_pstore.service \
  dev-hugepages.mount sys-fs-fuse-connections.mount sys-kernel-debug.mount sys-kernel-tracing.mount sys-kernel-config.mount; do
  chroot "$root" systemctl mask "$unit" >/dev/null 2>&1 || true
done
# journald in memory only: a node's disk is a throwaway overlay anyway.
mkdir -p "$root/etc/systemd/journald.conf.d"
printf '[Journal]\nStorage=volatile\nRuntimeMaxUse=16M\n' > "$root/etc/systemd/journald.conf.d/lab.conf"

# What is not needed at run time.
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb
