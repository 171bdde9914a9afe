# Arndale (Exynos 5250): Xen and a dom0 Linux booted from the SD card.
# Addresses follow U-Boot's exynos5-common.h layout (fdt_addr_r, ramdisk_addr_r,
# kernel_addr_r); Xen is a uImage that bootm copies to its load address 0x42000000.
setenv xen_addr_r 0x41000000
setenv fdt_addr_r 0x43000000
setenv ramdisk_addr_r 0x43300000
setenv kernel_addr_r 0x44000000

fatload mmc 0:1 ${xen_addr_r} xen-uImage
fatload mmc 0:1 ${fdt_addr_r} arndale.dtb
fatload mmc 0:1 ${kernel_addr_r} zImage
setenv kernel_size ${filesize}
fatload mmc 0:1 ${ramdisk_addr_r} initrd.cpio
setenv initrd_size ${filesize}

# Tell Xen where dom0's kernel and initrd are (docs/misc/arm/device-tree/booting.txt).
fdt addr ${fdt_addr_r}
fdt resize 1000
fdt set /chosen \#address-cells <1>
fdt set /chosen \#size-cells <1>
fdt set /chosen xen,xen-bootargs "console=dtuart dtuart=serial2 dom0_mem=512M"
fdt mknod /chosen module@44000000
fdt set /chosen/module@44000000 compatible "xen,linux-zimage" "xen,multiboot-module" "multiboot,module"
fdt set /chosen/module@44000000 reg <${kernel_addr_r} 0x${kernel_size}>
fdt set /chosen/module@44000000 bootargs "console=hvc0 root=/dev/ram0"
fdt mknod /chosen module@43300000
fdt set /chosen/module@43300000 compatible "xen,linux-initrd" "xen,multiboot-module" "multiboot,module"
fdt set /chosen/module@43300000 reg <${ramdisk_addr_r} 0x${initrd_size}>

setenv fdt_high 0xffffffff
bootm ${xen_addr_r} - ${fdt_addr_r}
