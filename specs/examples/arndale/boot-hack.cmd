# The bring-up this project comes from: dom0's kernel is loaded high in RAM
# and never described to Xen (no /chosen module); a patched Xen was to find it
# there by its address. Xen does not know those bytes are in use: they are free
# heap to it, and its arm32 xenheap (the top 64 MiB of RAM here) lands on them.
setenv xen_addr_r 0x41000000
setenv fdt_addr_r 0x43000000
setenv ramdisk_addr_r 0x43300000
setenv kernel_addr_r 0xbe000000

fatload mmc 0:1 ${xen_addr_r} xen-uImage
fatload mmc 0:1 ${fdt_addr_r} arndale.dtb
fatload mmc 0:1 ${kernel_addr_r} zImage
fatload mmc 0:1 ${ramdisk_addr_r} initrd.cpio
setenv initrd_size ${filesize}

fdt addr ${fdt_addr_r}
fdt resize 1000
fdt set /chosen \#address-cells <1>
fdt set /chosen \#size-cells <1>
fdt set /chosen xen,xen-bootargs "console=dtuart dtuart=serial2 dom0_mem=512M"
fdt mknod /chosen module@43300000
fdt set /chosen/module@43300000 compatible "xen,linux-initrd" "xen,multiboot-module" "multiboot,module"
fdt set /chosen/module@43300000 reg <${ramdisk_addr_r} 0x${initrd_size}>

setenv fdt_high 0xffffffff
bootm ${xen_addr_r} - ${fdt_addr_r}
